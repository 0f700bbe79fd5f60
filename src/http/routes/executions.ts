/**
 * Executions as resources: `POST /executions` starts one and answers at
 * once; `GET /executions/{id}/events` follows it (joins, resumes, native
 * `EventSource`); `GET /executions/{id}` is its state; `DELETE` (or
 * `POST .../cancel`) stops it, keeping what was computed; `GET /executions`
 * lists the kept ones, newest first.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { ExecuteRequest } from "../../protocol/api.js"
import type { ExecutionCreated, ExecutionList } from "../../protocol/executions.js"
import type { ErrorInfo } from "../../runtime/ExecutionEvent.js"
import { Executions } from "../executions/Executions.js"
import { stateOf, summaryOf } from "../executions/executionState.js"
import { EXPIRED, Retained } from "../executions/Retained.js"
import type { RetainedExecution } from "../executions/Retained.js"
import { ExecutionExpired, InvalidRequest, UnknownExecution } from "../HttpError.js"
import { Metrics } from "../ops/Metrics.js"
import { Limits } from "../server/Limits.js"
import { ServerConfig } from "../server/ServerConfig.js"
import { followResponse } from "../sse/followResponse.js"
import { jsonBody } from "./requestBody.js"
import { respond } from "./respond.js"

/** The most executions one page of `GET /executions` lists. */
export const MAX_PAGE = 500
const DEFAULT_PAGE = 50

/** The final error of an execution stopped by `DELETE /executions/{id}`. */
const cancelledByRequest: ErrorInfo = { code: "cancelled", message: "the execution was cancelled by a request", module: null }

const pathOf = (id: string) => `/executions/${encodeURIComponent(id)}`

const invalid = (path: string, message: string) => new InvalidRequest({ message, issues: [{ path, message }] })

/** A whole number from a query parameter, within bounds. */
const intParam = (params: Readonly<Record<string, string | ReadonlyArray<string>>>, name: string, min: number, max: number) => {
  const raw = params[name]
  if (raw === undefined) return Effect.succeed(undefined)
  const text = typeof raw === "string" ? raw : raw[0]
  const n = Number(text)
  return typeof text === "string" && /^\d{1,16}$/.test(text) && n >= min && n <= max
    ? Effect.succeed(n)
    : Effect.fail(invalid(name, `${name} must be a whole number from ${min} to ${max}`))
}

export const routes = Effect.gen(function*() {
  const executions = yield* Executions
  const retained = yield* Retained
  const metrics = yield* Metrics
  const { maxBodyBytes } = yield* Limits
  const { heartbeatIntervalMs, sseRetryMs } = yield* ServerConfig
  const clock = yield* Effect.clock
  const readRequest = jsonBody(ExecuteRequest, maxBodyBytes)

  /** The execution the path names, or its 404 / 410. */
  const named: Effect.Effect<RetainedExecution, UnknownExecution | ExecutionExpired, HttpLayerRouter.RouteContext> = Effect
    .flatMap(HttpLayerRouter.params, (params): Effect.Effect<RetainedExecution, UnknownExecution | ExecutionExpired> => {
      const id = params["id"] ?? ""
      const found = retained.lookup(id)
      if (found === EXPIRED) {
        return Effect.fail(new ExecutionExpired({ message: `Execution "${id.slice(0, 100)}" ended and is no longer kept (see EXECUTION_RETENTION_MS).`, id: id.slice(0, 100) }))
      }
      if (found === undefined) return Effect.fail(new UnknownExecution({ message: `No execution with id "${id.slice(0, 100)}" is known here.`, id: id.slice(0, 100) }))
      return Effect.succeed(found)
    })

  const state = (e: RetainedExecution) => HttpServerResponse.unsafeJson(stateOf(e, clock.unsafeCurrentTimeMillis()))

  const create = Effect.flatMap(readRequest, (request) =>
    Effect.map(
      // Started in the same uninterruptible region as prepared: the admission slot cannot be lost.
      Effect.uninterruptibleMask((restore) =>
        Effect.map(restore(executions.prepare(request, "resource")), (handle) => {
          handle.start()
          return handle
        })
      ),
      (handle) => {
        const location = pathOf(handle.executionId)
        const token = handle.retained.token
        const body: ExecutionCreated = {
          executionId: handle.executionId,
          location,
          events: `${location}/events${token === undefined ? "" : `?token=${token}`}`,
          status: handle.log.finished ? stateOf(handle.retained, clock.unsafeCurrentTimeMillis()).status : "running"
        }
        return HttpServerResponse.unsafeJson(body, { status: 201, headers: { location, "x-execution-id": handle.executionId } })
      }
    ))

  const list = Effect.flatMap(HttpServerRequest.ParsedSearchParams, (params) =>
    Effect.map(
      Effect.all([intParam(params, "limit", 1, MAX_PAGE), intParam(params, "before", 0, Number.MAX_SAFE_INTEGER)]),
      ([limit, before]) => {
        const page = retained.list(limit ?? DEFAULT_PAGE, before)
        const body: ExecutionList = page.length === (limit ?? DEFAULT_PAGE) && page[page.length - 1]!.ordinal > 0
          ? { executions: page.map(summaryOf), next: String(page[page.length - 1]!.ordinal) }
          : { executions: page.map(summaryOf) }
        return HttpServerResponse.unsafeJson(body)
      }
    ))

  const cancel = Effect.flatMap(named, (e) => Effect.map(retained.cancel(e, cancelledByRequest), () => state(e)))

  const events = Effect.flatMap(named, (e) =>
    Effect.flatMap(Effect.zip(HttpServerRequest.HttpServerRequest, HttpServerRequest.ParsedSearchParams), ([http, params]) => {
      const query = params["lastEventId"]
      const lastEventId = http.headers["last-event-id"] ?? (Array.isArray(query) ? query[0] : query)
      return followResponse(retained, e, lastEventId, { heartbeatIntervalMs, metrics, retryMs: sseRetryMs })
    }))

  return [
    HttpLayerRouter.route("POST", "/executions", respond(create)),
    HttpLayerRouter.route("GET", "/executions", respond(list)),
    HttpLayerRouter.route("GET", "/executions/:id", respond(Effect.map(named, state))),
    HttpLayerRouter.route("DELETE", "/executions/:id", respond(cancel)),
    HttpLayerRouter.route("POST", "/executions/:id/cancel", respond(cancel)),
    HttpLayerRouter.route("GET", "/executions/:id/events", respond(events))
  ] as const
})
