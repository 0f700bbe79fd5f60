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
export const current: Effect.Effect<string | undefined, never, HttpServerRequest.HttpServerRequest> = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) => request.headers[HEADER]
)
