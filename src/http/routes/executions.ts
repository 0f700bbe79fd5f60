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
import type { StoreUnavailable } from "../HttpError.js"
import { Cluster } from "../cluster/Cluster.js"
import type { RemoteExecution } from "../cluster/Cluster.js"
import { Metrics } from "../ops/Metrics.js"
import { Limits } from "../server/Limits.js"
import { ServerConfig } from "../server/ServerConfig.js"
import { followResponse } from "../sse/followResponse.js"
import { jsonBody } from "./requestBody.js"
import { respond } from "./respond.js"

/** The most executions one page of `GET /executions` lists. */
export const MAX_PAGE = 500
const DEFAULT_PAGE = 50

/** How long a reader resuming on another instance waits for that instance to have read the position it names, in milliseconds. */
const REPLICA_WAIT_MS = 2_000

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
  const cluster = yield* Cluster
  const metrics = yield* Metrics
  const { maxBodyBytes } = yield* Limits
  const { heartbeatIntervalMs, sseRetryMs } = yield* ServerConfig
  const clock = yield* Effect.clock
  const readRequest = jsonBody(ExecuteRequest, maxBodyBytes)

  const expired = (id: string) =>
    new ExecutionExpired({ message: `Execution "${id.slice(0, 100)}" ended and is no longer kept (see EXECUTION_RETENTION_MS).`, id: id.slice(0, 100) })

  /**
   * The execution the path names: kept here, or (with a shared store) by
   * another instance, read here from the store (released when `use` is
   * done); or its 404 / 410.
   */
  const withNamed = <A, E, R>(
    use: (e: RetainedExecution, remote: RemoteExecution | undefined) => Effect.Effect<A, E, R>
  ): Effect.Effect<A, E | UnknownExecution | ExecutionExpired | StoreUnavailable, R | HttpLayerRouter.RouteContext> =>
    Effect.flatMap(HttpLayerRouter.params, (params): Effect.Effect<A, E | UnknownExecution | ExecutionExpired | StoreUnavailable, R> => {
      const id = params["id"] ?? ""
      const found = retained.lookup(id)
      if (found === EXPIRED) return Effect.fail(expired(id))
      if (found !== undefined) return use(found, undefined)
      return Effect.flatMap(cluster.remote(id), (remote): Effect.Effect<A, E | UnknownExecution | ExecutionExpired, R> => {
        if (remote === EXPIRED) return Effect.fail(expired(id))
        if (remote === undefined) return Effect.fail(new UnknownExecution({ message: `No execution with id "${id.slice(0, 100)}" is known here.`, id: id.slice(0, 100) }))
        return Effect.ensuring(use(remote, remote), Effect.sync(remote.release))
      })
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
      (handle) => Effect.as(handle.registered, handle)
    ).pipe(Effect.flatten, Effect.map(
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
    )))

  const page = (limit: number | undefined, before: number | undefined) => {
    const size = limit ?? DEFAULT_PAGE
    const shared = cluster.list(size, before)
    const listed = shared ?? Effect.sync(() => retained.list(size, before).map((e) => ({ summary: summaryOf(e), ordinal: e.ordinal })))
    return Effect.map(listed, (found): ExecutionList =>
      found.length === size && found[found.length - 1]!.ordinal > 0
        ? { executions: found.map((f) => f.summary), next: String(found[found.length - 1]!.ordinal) }
        : { executions: found.map((f) => f.summary) })
  }

  const list = Effect.flatMap(HttpServerRequest.ParsedSearchParams, (params) =>
    Effect.flatMap(
      Effect.all([intParam(params, "limit", 1, MAX_PAGE), intParam(params, "before", 0, Number.MAX_SAFE_INTEGER)]),
      ([limit, before]) => Effect.map(page(limit, before), (body) => HttpServerResponse.unsafeJson(body))
    ))

  const cancel = withNamed((e, remote) =>
    Effect.map(remote === undefined ? retained.cancel(e, cancelledByRequest) : remote.cancel(cancelledByRequest), () => state(e)))

  /** A numeric position the replica has not read yet (the reader saw it from the owner first): waited for, briefly. */
  const caughtUp = (remote: RemoteExecution | undefined, lastEventId: string | undefined) => {
    const seq = lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined
    return remote === undefined || seq === undefined || seq <= remote.log.lastSeq ? Effect.void : remote.awaitSeq(seq, REPLICA_WAIT_MS)
  }

  const events = withNamed((e, remote) =>
    Effect.flatMap(Effect.zip(HttpServerRequest.HttpServerRequest, HttpServerRequest.ParsedSearchParams), ([http, params]) => {
      const query = params["lastEventId"]
      const lastEventId = http.headers["last-event-id"] ?? (Array.isArray(query) ? query[0] : query)
      return Effect.zipRight(
        caughtUp(remote, lastEventId),
        followResponse(remote ?? retained, e, lastEventId, { heartbeatIntervalMs, metrics, retryMs: sseRetryMs })
      )
    }))

  return [
    HttpLayerRouter.route("POST", "/executions", respond(create)),
    HttpLayerRouter.route("GET", "/executions", respond(list)),
    HttpLayerRouter.route("GET", "/executions/:id", respond(withNamed((e) => Effect.succeed(state(e))))),
    HttpLayerRouter.route("DELETE", "/executions/:id", respond(cancel)),
    HttpLayerRouter.route("POST", "/executions/:id/cancel", respond(cancel)),
    HttpLayerRouter.route("GET", "/executions/:id/events", respond(events))
  ] as const
})
