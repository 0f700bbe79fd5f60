/**
 * The Promise client over `fetch`, for browsers and Node 20+: a batch
 * `execute`, a `stream` of typed events (resumed by itself after a dropped
 * connection), callbacks through `subscribe`, `attach` to an execution
 * already running, executions as resources (`create`, `state`, `cancel`,
 * `list`), `compile` / `modules`, and `connect` for executions over a
 * WebSocket.
 *
 * ```ts
 * const client = createClient({ baseUrl: "http://127.0.0.1:8080", headers: { authorization: `Bearer ${key}` } })
 * for await (const e of client.stream({ source, inputs: { query: "hi" } })) {
 *   if (e.event === "output" || e.event === "complete") console.log(e.data.name, e.data.value)
 * }
 * ```
 *
 * @since 0.1.0
 */
import type { BatchResponse, CompileResponse, ExecuteRequest, ModulesResponse } from "../protocol/api.js"
import { connectSocket } from "./ExecutionSocket.js"
import type { ExecutionSocket, SocketOptions } from "./ExecutionSocket.js"
import { executionRequests } from "./executionRequests.js"
import type { ExecutionRequests } from "./executionRequests.js"
import { followEvents } from "./followEvents.js"
import { readJson, send, urlOf } from "./fetchRequest.js"
import type { FetchTarget } from "./fetchRequest.js"
import { checkBatchResponse, checkCompileResponse, checkModulesResponse } from "./internal/wire.js"
import { resumePolicy } from "./ResumeOptions.js"
import type { ResumeOptions } from "./ResumeOptions.js"
import type { StreamEvent } from "./StreamEvent.js"
import { subscribe } from "./subscribe.js"
import type { StreamHandlers } from "./subscribe.js"

/**
 * A request to run a pipeline: `source` (constellation-lang) or `ref` (from
 * `compile`), its `inputs`, and optionally `progress` (module and progress
 * events), `deadlineMs` and `maxBuffered`. The server's `ExecuteRequest`,
 * in its wire form.
 *
 * @since 0.1.0
 * @category models
 */
export type ExecuteInput = typeof ExecuteRequest.Encoded

/** @since 0.1.0 @category models */
export interface ClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:8080`; in a browser it may be a path such as `/api`. */
  readonly baseUrl: string
  /** Headers sent with every request (an API key, a bearer token), or a function that returns them per request. */
  readonly headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>)
  /** The `fetch` to use; defaults to the global one. */
  readonly fetch?: typeof globalThis.fetch
  /**
   * How `stream` and `attach` resume after a dropped connection (5 tries
   * in a row, backoff from 100 ms to 5 s with jitter), or `false` for one
   * connection only.
   */
  readonly resume?: ResumeOptions | false
}

/** @since 0.1.0 @category models */
export interface RequestOptions {
  /** Aborting it closes the connection, which cancels the execution on the server. */
  readonly signal?: AbortSignal | undefined
  /** Resuming for this request (over the client's `resume`); `false` for one connection only. */
  readonly resume?: ResumeOptions | false
}

/** @since 0.1.0 @category models */
export interface ConstellationClient extends ExecutionRequests {
  /** Runs a pipeline to its end: every output's value or error. */
  readonly execute: (request: ExecuteInput, options?: RequestOptions) => Promise<BatchResponse>
  /**
   * Runs a pipeline and yields its events as they arrive, in completion
   * order; ends after the final event. Nothing is sent until iteration
   * starts. A dropped connection is resumed (`resume`): the request asks
   * `onDisconnect: "continue"` unless it says otherwise, and the events
   * continue after the last one seen, each output once. Leaving the loop
   * early or aborting `signal` cancels the execution on the server.
   * Throws a `ClientError` (a stream that stops early and cannot be
   * resumed is `StreamInterrupted`).
   */
  readonly stream: (request: ExecuteInput, options?: RequestOptions) => AsyncIterableIterator<StreamEvent>
  /**
   * Follows an execution already running or kept (started by `create`,
   * another client, another tab): the results so far, then the rest as
   * they come, resumed after drops like `stream`. Leaving the loop leaves
   * the execution running; `cancel` stops it.
   */
  readonly attach: (executionId: string, options?: RequestOptions) => AsyncIterableIterator<StreamEvent>
  /** `stream` with callbacks; see `subscribe`. Asks for progress events when `onProgress` is given. */
  readonly subscribe: (request: ExecuteInput, handlers: StreamHandlers & RequestOptions) => Promise<void>
  /** Compiles a pipeline: its ref (run it again with `{ ref }`), typed inputs and outputs, and DAG. */
  readonly compile: (source: string, options?: RequestOptions) => Promise<CompileResponse>
  /** The modules a pipeline may call, with their signatures. */
  readonly modules: (options?: RequestOptions) => Promise<ModulesResponse>
  /**
   * Opens a WebSocket to the server, on which any number of executions run
   * at once (`GET /execute/ws`); resolves once it is open. In Node 20 pass
   * the `ws` package's class as `WebSocket`.
   */
  readonly connect: (options?: SocketOptions) => Promise<ExecutionSocket>
}

/**
 * A client for the server at `options.baseUrl`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const createClient = (options: ClientOptions): ConstellationClient => {
  const target: FetchTarget = {
    baseUrl: options.baseUrl,
    headers: options.headers,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  }
  const url = (path: string) => urlOf(target.baseUrl, path)

  const execute: ConstellationClient["execute"] = async (request, { signal } = {}) => {
    const response = await send(target, "/execute", { method: "POST", body: request, accept: "application/json", signal })
    return readJson(response, checkBatchResponse, url("/execute"), signal)
  }

  const stream: ConstellationClient["stream"] = (request, { signal, resume } = {}) => {
    const policy = resumePolicy(options.resume, resume)
    // Resuming needs the execution to outlive the connection; one the client continued on its own, it cancels on leaving.
    const continued = policy !== undefined && request.onDisconnect === undefined
    const body = continued ? { ...request, onDisconnect: "continue" as const } : request
    return followEvents({
      target,
      policy,
      cancelOnLeave: continued,
      signal,
      open: (opened) => send(target, "/execute/stream", { method: "POST", body, accept: "text/event-stream", signal: opened })
    })
  }

  return {
    ...executionRequests(target),
    execute,
    stream,
    attach: (executionId, { signal, resume } = {}) =>
      followEvents({ target, policy: resumePolicy(options.resume, resume), cancelOnLeave: false, signal, executionId }),
    subscribe: (request, { signal, resume, ...handlers }) =>
      subscribe(
        stream({ ...request, progress: request.progress ?? handlers.onProgress !== undefined }, { signal, ...(resume === undefined ? {} : { resume }) }),
        handlers
      ),
    compile: async (source, { signal } = {}) => {
      const response = await send(target, "/compile", { method: "POST", body: { source }, accept: "application/json", signal })
      return readJson(response, checkCompileResponse, url("/compile"), signal)
    },
    modules: async ({ signal } = {}) => {
      const response = await send(target, "/modules", { method: "GET", accept: "application/json", signal })
      return readJson(response, checkModulesResponse, url("/modules"), signal)
    },
    connect: (socketOptions) => connectSocket(target.baseUrl, socketOptions)
  }
}
