/**
 * Requests over `fetch`, with every failure turned into a typed client
 * error: no response (`ConnectFailed`), an error status
 * (`RequestRejected`), a body that does not match (`ProtocolError`), the
 * caller's abort (`Aborted`).
 */
import { Either } from "effect"
import { Aborted, ConnectFailed } from "./ClientError.js"
import type { ClientError } from "./ClientError.js"
import type { BodyCheck } from "./internal/wire.js"
import { decodeJsonBody, rejectionOf } from "./responseBody.js"

/** What every request of a client shares. */
export interface FetchTarget {
  readonly baseUrl: string
  readonly headers: HeadersInit | (() => HeadersInit | Promise<HeadersInit>) | undefined
  readonly fetch: typeof globalThis.fetch
}

export interface SendOptions {
  readonly method: "GET" | "POST" | "DELETE"
  readonly body?: unknown
  readonly accept: string
  /** Headers of this request only (`Last-Event-ID`). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly signal?: AbortSignal | undefined
}

/** The URL of a path under the base URL (which may be relative in a browser). */
export const urlOf = (baseUrl: string, path: string): string => `${baseUrl.replace(/\/+$/, "")}${path}`

const abortedBy = (signal: AbortSignal | undefined): Aborted | undefined =>
  signal?.aborted === true ? new Aborted({ reason: signal.reason }) : undefined

/** Sends a request and returns a response with a success status. */
export const send = async (target: FetchTarget, path: string, options: SendOptions): Promise<Response> => {
  const url = urlOf(target.baseUrl, path)
  const headers = new Headers(typeof target.headers === "function" ? await target.headers() : target.headers)
  headers.set("accept", options.accept)
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value)
  if (options.body !== undefined) headers.set("content-type", "application/json")
  let response: Response
  try {
    response = await target.fetch(url, {
      method: options.method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal })
    })
  } catch (cause) {
    throw abortedBy(options.signal) ?? new ConnectFailed({ url, cause })
  }
  if (!response.ok) throw await rejection(response, url, options.signal)
  return response
}

/** The error of a response with an error status. */
const rejection = async (response: Response, url: string, signal: AbortSignal | undefined): Promise<ClientError> => {
  let text: string
  try {
    text = await response.text()
  } catch (cause) {
    return abortedBy(signal) ?? new ConnectFailed({ url, cause })
  }
  const requestId = response.headers.get("x-request-id") ?? undefined
  return rejectionOf({ status: response.status, statusText: response.statusText, text, requestId })
}

/** Reads a JSON body and checks it with `check`. */
export const readJson = async <A>(
  response: Response,
  check: BodyCheck<A>,
  url: string,
  signal?: AbortSignal
): Promise<A> => {
  let text: string
  try {
    text = await response.text()
  } catch (cause) {
    throw abortedBy(signal) ?? new ConnectFailed({ url, cause })
  }
  const decoded = decodeJsonBody(check, text, url)
  if (Either.isLeft(decoded)) throw decoded.left
  return decoded.right
}
