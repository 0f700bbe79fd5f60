/**
 * The Promise client over `fetch`, for browsers and Node 20+: a batch
 * `execute`, a `stream` of typed events, callbacks through `subscribe`,
 * `compile` / `modules`, and `connect` for executions over a WebSocket.
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
import { readEvents } from "./readEvents.js"
import { readJson, send, urlOf } from "./fetchRequest.js"
import type { FetchTarget } from "./fetchRequest.js"
import { checkBatchResponse, checkCompileResponse, checkModulesResponse } from "./internal/wire.js"
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
}

/** @since 0.1.0 @category models */
export interface RequestOptions {
  /** Aborting it closes the connection, which cancels the execution on the server. */
  readonly signal?: AbortSignal | undefined
}

/** @since 0.1.0 @category models */
export interface ConstellationClient {
  /** Runs a pipeline to its end: every output's value or error. */
  readonly execute: (request: ExecuteInput, options?: RequestOptions) => Promise<BatchResponse>
  /**
   * Runs a pipeline and yields its events as they arrive, in completion
   * order; ends after the final event. Nothing is sent until iteration
   * starts. Leaving the loop early or aborting `signal` closes the
   * connection, cancelling the execution on the server. Throws a
   * `ClientError` (a stream that stops early is `StreamInterrupted`).
   */
  readonly stream: (request: ExecuteInput, options?: RequestOptions) => AsyncIterableIterator<StreamEvent>
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

  async function* stream(request: ExecuteInput, { signal }: RequestOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    // An own controller as well, so that leaving the loop closes the connection whatever `fetch` does with a cancelled body.
    const controller = new AbortController()
    const onAbort = () => controller.abort(signal?.reason)
    signal?.addEventListener("abort", onAbort, { once: true })
    if (signal?.aborted === true) onAbort()
    const close = () => {
      signal?.removeEventListener("abort", onAbort)
      controller.abort()
    }
    let response: Response
    try {
      response = await send(target, "/execute/stream", {
        method: "POST",
        body: request,
        accept: "text/event-stream",
        signal: controller.signal
      })
    } catch (error) {
      close()
      throw error
    }
    yield* readEvents(response, { signal: controller.signal, onClose: close })
  }

  return {
    execute,
    stream,
    subscribe: (request, { signal, ...handlers }) =>
      subscribe(stream({ ...request, progress: request.progress ?? handlers.onProgress !== undefined }, { signal }), handlers),
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
