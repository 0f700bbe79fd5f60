/**
 * Executions over one WebSocket (`GET /execute/ws`), as many at once as wanted on
 * one connection, each an async iterator of the same typed events as
 * `stream`. Leaving one iteration early cancels that execution only;
 * closing the socket cancels every one still running.
 *
 * ```ts
 * const socket = await client.connect()
 * const [a, b] = await Promise.all([collect(socket.stream(first)), collect(socket.stream(second))])
 * socket.close()
 * ```
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { isRefusal } from "../protocol/eventKinds.js"
import { Aborted, ConnectFailed, ProtocolError, RequestRejected, StreamInterrupted } from "./ClientError.js"
import type { ClientError } from "./ClientError.js"
import type { ExecuteInput, RequestOptions } from "./ConstellationClient.js"
import { urlOf } from "./fetchRequest.js"
import { checkRefusalFrame } from "./internal/wire.js"
import { decodePayload, isFinal } from "./StreamEvent.js"
import type { StreamEvent } from "./StreamEvent.js"

/**
 * A WebSocket class: the global one (browsers, Node 22+) or the `ws`
 * package's (Node 20).
 *
 * @since 0.1.0
 * @category models
 */
export type WebSocketConstructor = new (url: string, protocols?: string | Array<string>) => unknown

/** @since 0.1.0 @category models */
export interface SocketOptions {
  /** The WebSocket class to connect with; by default the global `WebSocket`. */
  readonly WebSocket?: WebSocketConstructor | undefined
  /** An API key, offered as the subprotocol `bearer.<key>` (browsers cannot set headers on a WebSocket). */
  readonly apiKey?: string | undefined
}

/**
 * An execution request over the socket: `id` names it on this socket (a
 * random one by default) and is free again once its execution has ended.
 *
 * @since 0.1.0
 * @category models
 */
export type SocketExecuteInput = ExecuteInput & { readonly id?: string }

/** @since 0.1.0 @category models */
export interface ExecutionSocket {
  /**
   * Starts an execution and yields its events as they arrive; ends after
   * the final event. Leaving the loop early or aborting `signal` cancels
   * it on the server. Throws a `ClientError`: `RequestRejected` (with
   * `status` 0) for a request the server refused before running it.
   */
  readonly stream: (request: SocketExecuteInput, options?: RequestOptions) => AsyncIterableIterator<StreamEvent>
  /** Closes the socket: the server interrupts every execution still running, and their iterations throw `StreamInterrupted`. */
  readonly close: () => void
}

/** What the client uses of a WebSocket; checked when the socket is made. */
interface Ws {
  readonly readyState: number
  onopen: (() => void) | null
  onmessage: ((event: { readonly data: unknown }) => void) | null
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null
  onerror: (() => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

const OPEN = 1
const SUBPROTOCOL = "constellation"

/** One execution's events as they are routed to it, and how it ends. */
class SocketExecution {
  private readonly events: Array<StreamEvent> = []
  private head = 0
  received = 0
  executionId: string | undefined
  /** The final event arrived. */
  finished = false
  /** What ends the iteration with an error, after the events already queued. */
  failure: ClientError | undefined
  wake: (() => void) | undefined

  push(event: StreamEvent): void {
    this.events.push(event)
    this.received++
    this.executionId ??= event.data.executionId
    if (isFinal(event)) this.finished = true
    this.notify()
  }

  /** The next event not yet taken, if one has arrived. */
  take(): StreamEvent | undefined {
    const event = this.events[this.head]
    if (event === undefined) return undefined
    this.head++
    if (this.head === this.events.length) {
      this.events.length = 0
      this.head = 0
    }
    return event
  }

  fail(error: ClientError): void {
    this.failure ??= error
    this.notify()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}

const wsUrlOf = (baseUrl: string): string => {
  const base = typeof globalThis.location === "object" ? globalThis.location.href : undefined
  const url = new URL(urlOf(baseUrl, "/execute/ws"), base)
  url.protocol = url.protocol === "https:" ? "wss:" : url.protocol === "http:" ? "ws:" : url.protocol
  return url.toString()
}

/** A fresh id (`crypto.randomUUID` exists only in secure contexts in browsers). */
const randomId = (): string =>
  typeof globalThis.crypto?.randomUUID === "function"
    ? globalThis.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`

const isWs = (u: unknown): u is Ws =>
  typeof u === "object" && u !== null && typeof (u as { send?: unknown }).send === "function" &&
  typeof (u as { close?: unknown }).close === "function"

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** A server error frame that refuses a request (it carries no execution id: nothing ran). */
const refusal = (frame: Record<string, unknown>): RequestRejected => {
  const decoded = checkRefusalFrame(frame)
  const error = Either.isRight(decoded) ? decoded.right.error : { code: "error", message: "the server refused the request" }
  return new RequestRejected({ status: 0, code: error.code, detail: error.message, requestId: undefined, body: frame })
}

/**
 * Opens a socket to the server at `baseUrl`; resolves once it is open.
 * Rejects with `ConnectFailed` when it cannot be opened (refused, an
 * upgrade answered 401 or 403, no WebSocket class available).
 *
 * @since 0.1.0
 * @category constructors
 */
export const connectSocket = (baseUrl: string, options: SocketOptions = {}): Promise<ExecutionSocket> => {
  const WebSocket = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined)
  return connectWith(baseUrl, options.apiKey, WebSocket === undefined ? undefined : (url, protocols) => new WebSocket(url, protocols))
}

/**
 * `connectSocket` with the function that makes the WebSocket (the Effect
 * client passes the platform's `WebSocketConstructor`).
 *
 * @internal
 */
export const connectWith = (
  baseUrl: string,
  apiKey: string | undefined,
  makeWebSocket: ((url: string, protocols: Array<string>) => unknown) | undefined
): Promise<ExecutionSocket> =>
  new Promise((resolve, reject) => {
    let url = baseUrl
    let ws: Ws
    try {
      url = wsUrlOf(baseUrl)
      if (makeWebSocket === undefined) throw new Error("no WebSocket class here: pass options.WebSocket (in Node 20, the `ws` package's)")
      const made = makeWebSocket(url, apiKey === undefined ? [SUBPROTOCOL] : [SUBPROTOCOL, `bearer.${apiKey}`])
      if (!isWs(made)) throw new Error("options.WebSocket did not make a WebSocket")
      ws = made
    } catch (cause) {
      return reject(new ConnectFailed({ url, cause }))
    }
    const executions = new Map<string, SocketExecution>()
    // Ids cancelled whose last frame has not come back yet: their frames are dropped, and they are not free.
    const cancelling = new Set<string>()
    let opened = false
    let closed: Error | undefined

    const failAll = (error: (e: SocketExecution) => ClientError) => {
      for (const execution of executions.values()) execution.fail(error(execution))
    }

    const route = (data: unknown): void => {
      let frame: unknown
      try {
        frame = typeof data === "string" ? JSON.parse(data) : undefined
      } catch {
        frame = undefined
      }
      if (!isRecord(frame) || typeof frame["type"] !== "string") {
        const detail = `a WebSocket frame that is not a JSON event: ${String(data).slice(0, 200)}`
        return failAll(() => new ProtocolError({ detail }))
      }
      const { type, id, ...payload } = frame
      if (typeof id !== "string") {
        // An error about a frame the server could not attribute (one over its size limit): it answers an execution that has heard nothing yet.
        if (type === "error") for (const execution of executions.values()) if (execution.received === 0) execution.fail(refusal(frame))
        return
      }
      if (cancelling.has(id)) {
        if (payload["isFinal"] === true) cancelling.delete(id)
        return
      }
      const execution = executions.get(id)
      if (execution === undefined || execution.finished || execution.failure !== undefined) return
      if (isRefusal(frame)) return execution.fail(refusal(frame))
      const event = decodePayload(type, payload)
      if (Either.isLeft(event)) return execution.fail(event.left)
      if (event.right !== undefined) execution.push(event.right)
    }

    ws.onmessage = (event) => route(event.data)
    ws.onerror = () => undefined
    ws.onclose = ({ code, reason }) => {
      closed = new Error(`the socket closed (${code}${reason === "" ? "" : `: ${reason}`})`)
      if (!opened) return reject(new ConnectFailed({ url, cause: closed }))
      const cause = closed
      failAll((e) => new StreamInterrupted({ executionId: e.executionId, received: e.received, cause }))
    }

    async function* stream(request: SocketExecuteInput, { signal }: RequestOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
      if (closed !== undefined) throw new StreamInterrupted({ executionId: undefined, received: 0, cause: closed })
      if (signal?.aborted === true) throw new Aborted({ reason: signal.reason })
      const id = request.id ?? randomId()
      if (executions.has(id) || cancelling.has(id)) {
        const detail = `An execution with id "${id}" is already running on this socket.`
        throw new RequestRejected({ status: 0, code: "duplicate_id", detail, requestId: undefined, body: { error: "duplicate_id", id } })
      }
      const execution = new SocketExecution()
      executions.set(id, execution)
      let left = false
      /** The iteration is over (ended, left, or aborted even while not pulled): a running execution is cancelled. Once. */
      const leave = () => {
        if (left) return
        left = true
        signal?.removeEventListener("abort", onAbort)
        if (executions.get(id) === execution) executions.delete(id)
        const running = !execution.finished && !(execution.failure instanceof RequestRejected)
        if (running && closed === undefined && ws.readyState === OPEN) {
          cancelling.add(id)
          ws.send(JSON.stringify({ type: "cancel", id }))
        }
      }
      const onAbort = () => {
        execution.fail(new Aborted({ reason: signal?.reason }))
        leave()
      }
      signal?.addEventListener("abort", onAbort, { once: true })
      try {
        if (ws.readyState !== OPEN) throw new StreamInterrupted({ executionId: undefined, received: 0, cause: new Error("the socket is closing") })
        ws.send(JSON.stringify({ ...request, type: "execute", id }))
        while (true) {
          const event = execution.take()
          if (event !== undefined) {
            yield event
            if (isFinal(event)) return
          } else if (execution.failure !== undefined) {
            throw execution.failure
          } else {
            await new Promise<void>((wake) => (execution.wake = wake))
          }
        }
      } finally {
        leave()
      }
    }

    const socket: ExecutionSocket = { stream, close: () => ws.close(1000, "closed by the client") }
    ws.onopen = () => {
      opened = true
      resolve(socket)
    }
  })
