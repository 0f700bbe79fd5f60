/**
 * Request ids: a client's `X-Request-ID` is kept when it is a reasonable
 * token, otherwise one is generated; it is echoed on every response and
 * included in error bodies.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect } from "effect"

export const HEADER = "x-request-id"

const ACCEPTED = /^[\x21-\x7e]{1,200}$/

/** The id to use for a request that sent `value` (a new UUID when it sent none or an unusable one). */
export const fromHeader = (value: string | undefined): string =>
  value !== undefined && ACCEPTED.test(value) ? value : crypto.randomUUID()

/** The current request's id, as set by the edge middleware. */
/** The ids the edge gave, by the request's source (the Node or web request, shared by every modified copy). */
const assigned = new WeakMap<object, string>()

const sourceOf = (request: HttpServerRequest.HttpServerRequest): object | undefined =>
  typeof request.source === "object" && request.source !== null ? request.source : undefined

/** Gives `request` its id (the client's, when acceptable) and returns it. */
export const assign = (request: HttpServerRequest.HttpServerRequest): string => {
  const id = fromHeader(request.headers[HEADER])
  const source = sourceOf(request)
  if (source !== undefined) assigned.set(source, id)
  return id
}

/** The id the edge gave `request`, else the client's header. */
export const of = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const source = sourceOf(request)
  return (source === undefined ? undefined : assigned.get(source)) ?? request.headers[HEADER]
}

export const current: Effect.Effect<string | undefined, never, HttpServerRequest.HttpServerRequest> = Effect.map(
  HttpServerRequest.HttpServerRequest,
  of
)
