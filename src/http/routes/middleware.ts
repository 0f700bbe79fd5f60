/**
 * The middleware around every route: request ids (honoured or generated,
 * echoed on every response), JSON 404 and 405 answers for unknown routes
 * and wrong methods, and a JSON 500 without details for anything a
 * handler did not expect (the details go to the log).
 */
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Cause, Effect, Option } from "effect"
import { InternalError, isHttpError, MethodNotAllowed, NotFound, toResponse } from "../HttpError.js"
import * as RequestId from "./requestId.js"

/** The methods each path answers to. */
export type MethodTable = ReadonlyMap<string, ReadonlyArray<string>>

export const methodTable = (routes: ReadonlyArray<{ readonly method: string; readonly path: string }>): MethodTable => {
  const table = new Map<string, Array<string>>()
  for (const r of routes) table.set(r.path, [...(table.get(r.path) ?? []), r.method])
  for (const methods of table.values()) if (methods.includes("GET")) methods.push("HEAD")
  return table
}

/** The methods `path` answers to: its own entry, else the first pattern (`/executions/:id`) it matches. */
export const allowedFor = (table: MethodTable, path: string): ReadonlyArray<string> | undefined => {
  const exact = table.get(path)
  if (exact !== undefined) return exact
  const segments = path.split("/")
  for (const [pattern, methods] of table) {
    if (!pattern.includes("/:")) continue
    const parts = pattern.split("/")
    if (parts.length === segments.length && parts.every((p, i) => p.startsWith(":") ? segments[i] !== "" : p === segments[i])) return methods
  }
  return undefined
}

const pathOf = (url: string): string => {
  const end = url.search(/[?#]/)
  return end < 0 ? url : url.slice(0, end)
}

const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}...` : s)

/** The answer to a request no route took, or that failed unexpectedly. */
const fallback = (
  cause: Cause.Cause<unknown>,
  request: HttpServerRequest.HttpServerRequest,
  table: MethodTable,
  requestId: string
) => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && HttpServerError.isServerError(failure.value) && failure.value._tag === "RouteNotFound") {
    const path = pathOf(request.url)
    const allowed = allowedFor(table, path)
    const error = allowed === undefined
      ? new NotFound({ message: `No route ${request.method} ${clip(path)}.`, path: clip(path) })
      : new MethodNotAllowed({ message: `${clip(path)} answers to ${allowed.join(", ")}, not ${request.method}.`, allowed })
    return Effect.succeed(toResponse(error, requestId))
  }
  if (Option.isSome(failure) && isHttpError(failure.value)) return Effect.succeed(toResponse(failure.value, requestId))
  return Effect.as(
    Effect.logError(`Unhandled failure in ${request.method} ${clip(request.url)} (request ${requestId})`, cause),
    toResponse(new InternalError({ message: "The server failed unexpectedly; the details are in its log." }), requestId)
  )
}

/** The global middleware, given the method table of the routes. */
export const edge = (table: MethodTable) =>
(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, HttpLayerRouter.unhandled>
): Effect.Effect<HttpServerResponse.HttpServerResponse, HttpLayerRouter.unhandled, HttpServerRequest.HttpServerRequest> =>
  // The id is kept by the request's source rather than set in a copy of the
  // request: providing a copy would copy the whole context on every request.
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const requestId = RequestId.assign(request)
    return app.pipe(
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : fallback(cause, request, table, requestId)
      ),
      Effect.map((response) => HttpServerResponse.setHeader(response, RequestId.HEADER, requestId))
    )
  })
