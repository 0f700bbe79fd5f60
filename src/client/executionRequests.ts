/**
 * The Promise client's requests on executions as resources: start one
 * without waiting (`POST /executions`), read its state, cancel it, list
 * the ones the server keeps.
 */
import type { ExecutionCreated, ExecutionList, ExecutionState } from "../protocol/executions.js"
import type { ExecuteInput, RequestOptions } from "./ConstellationClient.js"
import { readJson, send, urlOf } from "./fetchRequest.js"
import type { FetchTarget, SendOptions } from "./fetchRequest.js"
import { checkExecutionCreated, checkExecutionList, checkExecutionState } from "./internal/wire.js"
import type { BodyCheck } from "./internal/wire.js"

/**
 * A page of `GET /executions`: at most `limit` (50 by default, 500 at
 * most), older than `before` (the `next` of the previous page).
 *
 * @since 0.3.0
 * @category models
 */
export interface ListOptions extends RequestOptions {
  readonly limit?: number
  readonly before?: string
}

/** @since 0.3.0 @category models */
export interface ExecutionRequests {
  /** Starts an execution that runs on without a reader (`POST /executions`); answers at once with its id and events link. */
  readonly create: (request: ExecuteInput, options?: RequestOptions) => Promise<ExecutionCreated>
  /** An execution's state so far: `running` with the outputs that came, or its result once ended. */
  readonly state: (executionId: string, options?: RequestOptions) => Promise<ExecutionState>
  /** Stops an execution, keeping what it computed; every reader gets its final event. Answers its state. */
  readonly cancel: (executionId: string, options?: RequestOptions) => Promise<ExecutionState>
  /** The executions the server keeps, newest first. */
  readonly list: (options?: ListOptions) => Promise<ExecutionList>
}

const pathOf = (executionId: string) => `/executions/${encodeURIComponent(executionId)}`

export const executionRequests = (target: FetchTarget): ExecutionRequests => {
  const json = async <A>(path: string, options: SendOptions, check: BodyCheck<A>): Promise<A> =>
    readJson(await send(target, path, options), check, urlOf(target.baseUrl, path), options.signal)
  return {
    create: (request, { signal } = {}) =>
      json("/executions", { method: "POST", body: request, accept: "application/json", signal }, checkExecutionCreated),
    state: (id, { signal } = {}) => json(pathOf(id), { method: "GET", accept: "application/json", signal }, checkExecutionState),
    cancel: (id, { signal } = {}) =>
      json(`${pathOf(id)}/cancel`, { method: "POST", accept: "application/json", signal }, checkExecutionState),
    list: ({ signal, limit, before } = {}) => {
      const query = new URLSearchParams()
      if (limit !== undefined) query.set("limit", String(limit))
      if (before !== undefined) query.set("before", before)
      const path = `/executions${query.size === 0 ? "" : `?${query}`}`
      return json(path, { method: "GET", accept: "application/json", signal }, checkExecutionList)
    }
  }
}
