/**
 * The client for Effect applications: a service built on
 * `@effect/platform`'s `HttpClient`, whose `stream` is a `Stream` of typed
 * events, resumed by itself after a dropped connection. Interrupting the
 * stream (or stopping early, `Stream.take(1)`) cancels the execution on
 * the server. `attach` follows an execution already running; `create`,
 * `state`, `cancel` and `list` treat executions as resources.
 *
 * ```ts
 * const program = Effect.gen(function*() {
 *   const client = yield* ConstellationHttpClient
 *   yield* client.stream({ source, inputs: { query: "hi" } }).pipe(Stream.runForEach(Console.log))
 * }).pipe(
 *   Effect.provide(ConstellationHttpClient.layer({ baseUrl: "http://127.0.0.1:8080" })),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Socket from "@effect/platform/Socket"
import { Context, Effect, Layer, Option, Stream } from "effect"
import type { Scope } from "effect"
import type { BatchResponse, CompileResponse, ModulesResponse } from "../protocol/api.js"
import type { ExecutionCreated, ExecutionList, ExecutionState } from "../protocol/executions.js"
import { ConnectFailed, ProtocolError, StreamInterrupted } from "./ClientError.js"
import type { RequestRejected } from "./ClientError.js"
import type { ExecuteInput } from "./ConstellationClient.js"
import { connectWith } from "./ExecutionSocket.js"
import type { ExecutionSocket, SocketExecuteInput } from "./ExecutionSocket.js"
import type { ListOptions } from "./executionRequests.js"
import { eventsPath } from "./followEvents.js"
import {
  checkBatchResponse,
  checkCompileResponse,
  checkExecutionCreated,
  checkExecutionList,
  checkExecutionState,
  checkModulesResponse
} from "./internal/wire.js"
import type { BodyCheck } from "./internal/wire.js"
import { decodeJsonBody, rejectionOf } from "./responseBody.js"
import { resumePolicy } from "./ResumeOptions.js"
import type { ResumeOptions } from "./ResumeOptions.js"
import { resumingStream } from "./resumingStream.js"
import { isClientError } from "./subscribe.js"
import type { StreamEvent } from "./StreamEvent.js"
import { urlOf } from "./fetchRequest.js"

/**
 * The errors of the Effect client (an abort is an interruption here).
 *
 * @since 0.1.0
 * @category errors
 */
export type HttpClientFailure = RequestRejected | ConnectFailed | StreamInterrupted | ProtocolError

/** @since 0.1.0 @category models */
export interface ConstellationHttpClientShape {
  /** Runs a pipeline to its end: every output's value or error. */
  readonly execute: (request: ExecuteInput) => Effect.Effect<BatchResponse, HttpClientFailure>
  /**
   * A pipeline's events in completion order, ending after the final event.
   * A dropped connection is resumed (`resume`): the request asks
   * `onDisconnect: "continue"` unless it says otherwise, and the events go
   * on after the last one seen, each output once. Fails with
   * `StreamInterrupted` when the stream stops before the final event and
   * cannot be resumed.
   */
  readonly stream: (request: ExecuteInput, options?: { readonly resume?: ResumeOptions | false }) => Stream.Stream<StreamEvent, HttpClientFailure>
  /**
   * Follows an execution already running or kept: the results so far, then
   * the rest, resumed after drops. Stopping leaves the execution running.
   */
  readonly attach: (executionId: string, options?: { readonly resume?: ResumeOptions | false }) => Stream.Stream<StreamEvent, HttpClientFailure>
  /** Starts an execution that runs on without a reader (`POST /executions`); answers at once. */
  readonly create: (request: ExecuteInput) => Effect.Effect<ExecutionCreated, HttpClientFailure>
  /** An execution's state so far. */
  readonly state: (executionId: string) => Effect.Effect<ExecutionState, HttpClientFailure>
  /** Stops an execution, keeping what it computed; answers its state. */
  readonly cancel: (executionId: string) => Effect.Effect<ExecutionState, HttpClientFailure>
  /** The executions the server keeps, newest first. */
  readonly list: (options?: Omit<ListOptions, "signal" | "resume">) => Effect.Effect<ExecutionList, HttpClientFailure>
  /** Compiles a pipeline: its ref, typed inputs and outputs, and DAG. */
  readonly compile: (source: string) => Effect.Effect<CompileResponse, HttpClientFailure>
  /** The modules a pipeline may call, with their signatures. */
  readonly modules: Effect.Effect<ModulesResponse, HttpClientFailure>
  /**
   * Opens a WebSocket to the server (`GET /execute/ws`), closed with the
   * scope, on which any number of executions run at once. It is made by
   * the platform's `Socket.WebSocketConstructor` when the context has one
   * (`NodeSocket.layerWebSocketConstructor` in Node 20), else by the global
   * `WebSocket`. The API key is `apiKey`, or the bearer token of the
   * client's `authorization` header.
   */
  readonly connect: (options?: { readonly apiKey?: string }) => Effect.Effect<ConstellationSocket, ConnectFailed, Scope.Scope>
}

/** @since 0.1.0 @category models */
export interface ConstellationSocket {
  /**
   * `stream` over the socket: the execution's events, ending after the
   * final one. Several may run at once; interrupting one (or stopping
   * early) cancels that execution only. A request the server refuses is
   * `RequestRejected` with `status` 0.
   */
  readonly stream: (request: SocketExecuteInput) => Stream.Stream<StreamEvent, HttpClientFailure>
}

/** @since 0.1.0 @category models */
export interface ConstellationHttpClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string
  /** Headers sent with every request (an API key, a bearer token). */
  readonly headers?: Readonly<Record<string, string>>
  /** How `stream` and `attach` resume after a dropped connection, or `false` for one connection only. */
  readonly resume?: ResumeOptions | false
}

/**
 * Makes the client over the `HttpClient` in context (`FetchHttpClient.layer`
 * in a browser, `NodeHttpClient.layer` or the fetch one in Node).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: ConstellationHttpClientOptions
): Effect.Effect<ConstellationHttpClientShape, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const headers = options.headers ?? {}

    const request = (method: "GET" | "POST", path: string, accept: string, body?: unknown, extra: Readonly<Record<string, string>> = {}) => {
      const base = (method === "GET" ? HttpClientRequest.get : HttpClientRequest.post)(urlOf(options.baseUrl, path))
        .pipe(HttpClientRequest.setHeaders({ ...headers, ...extra, accept }))
      return body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, body)
    }

    const connectFailed = (url: string) => (e: HttpClientError.HttpClientError) =>
      new ConnectFailed({ url, cause: e.cause ?? e })

    /** Sends a request; an error status becomes `RequestRejected`. */
    const sendWith = <R>(client: HttpClient.HttpClient.With<HttpClientError.HttpClientError, R>, req: HttpClientRequest.HttpClientRequest) =>
      client.execute(req).pipe(
        Effect.mapError(connectFailed(req.url)),
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300 ? Effect.succeed(response) : rejected(response, req.url)
        )
      )

    const rejected = (response: HttpClientResponse.HttpClientResponse, url: string) =>
      response.text.pipe(
        Effect.mapError(connectFailed(url)),
        Effect.flatMap((text) =>
          Effect.fail(rejectionOf({ status: response.status, statusText: "", text, requestId: response.headers["x-request-id"] }))
        )
      )

    /** Sends a request and checks its JSON answer, in a span named after the method. */
    const json = <A>(span: string, check: BodyCheck<A>, req: HttpClientRequest.HttpClientRequest) =>
      sendWith(http, req).pipe(
        Effect.flatMap((response) => Effect.mapError(response.text, connectFailed(req.url))),
        Effect.flatMap((text) => decodeJsonBody(check, text, req.url)),
        Effect.withSpan(`ConstellationHttpClient.${span}`)
      )

    const streaming = HttpClient.withScope(http)
    const follow = (executionId: string, lastEventId: string | undefined) =>
      sendWith(streaming, request("GET", eventsPath(executionId), "text/event-stream", undefined, lastEventId === undefined ? {} : { "last-event-id": lastEventId }))
    const cancelRequest = (executionId: string) => request("POST", `/executions/${encodeURIComponent(executionId)}/cancel`, "application/json")
    const cancelQuietly = (executionId: string) =>
      http.execute(cancelRequest(executionId)).pipe(Effect.scoped, Effect.timeout("2 seconds"), Effect.ignore)

    const stream = (input: ExecuteInput, resume: ResumeOptions | false | undefined): Stream.Stream<StreamEvent, HttpClientFailure> => {
      const policy = resumePolicy(options.resume, resume)
      // Resuming needs the execution to outlive the connection; one the client continued on its own, it cancels on stopping.
      const continued = policy !== undefined && input.onDisconnect === undefined
      const body = continued ? { ...input, onDisconnect: "continue" as const } : input
      return resumingStream({
        // withScope: the request is aborted when the stream's scope closes, even mid-body.
        open: sendWith(streaming, request("POST", "/execute/stream", "text/event-stream", body)),
        follow,
        cancel: cancelQuietly,
        policy,
        cancelOnLeave: continued
      })
    }

    const bearer = /^Bearer +(\S+) *$/i.exec(
      Object.entries(headers).find(([name]) => name.toLowerCase() === "authorization")?.[1] ?? ""
    )?.[1]

    const connect: ConstellationHttpClientShape["connect"] = (socketOptions = {}) =>
      Effect.flatMap(Effect.serviceOption(Socket.WebSocketConstructor), (constructor) =>
        Effect.acquireRelease(
          Effect.tryPromise({
            try: () => {
              const make = Option.getOrUndefined(constructor) ?? globalWebSocket()
              return connectWith(options.baseUrl, socketOptions.apiKey ?? bearer, make)
            },
            catch: (cause) => cause instanceof ConnectFailed ? cause : new ConnectFailed({ url: options.baseUrl, cause })
          }),
          (socket) => Effect.sync(() => socket.close())
        )).pipe(Effect.map((socket) => ({ stream: (request) => socketStream(socket, request) })))

    return {
      connect,
      execute: (input) => json("execute", checkBatchResponse, request("POST", "/execute", "application/json", input)),
      stream: (input, streamOptions) => Stream.withSpan(stream(input, streamOptions?.resume), "ConstellationHttpClient.stream"),
      attach: (executionId, attachOptions) =>
        Stream.withSpan(
          resumingStream({ executionId, follow, cancel: cancelQuietly, policy: resumePolicy(options.resume, attachOptions?.resume), cancelOnLeave: false }),
          "ConstellationHttpClient.attach"
        ),
      create: (input) => json("create", checkExecutionCreated, request("POST", "/executions", "application/json", input)),
      state: (executionId) => json("state", checkExecutionState, request("GET", `/executions/${encodeURIComponent(executionId)}`, "application/json")),
      cancel: (executionId) => json("cancel", checkExecutionState, cancelRequest(executionId)),
      list: (listOptions = {}) => {
        const query = new URLSearchParams()
        if (listOptions.limit !== undefined) query.set("limit", String(listOptions.limit))
        if (listOptions.before !== undefined) query.set("before", listOptions.before)
        return json("list", checkExecutionList, request("GET", `/executions${query.size === 0 ? "" : `?${query}`}`, "application/json"))
      },
      compile: (source) => json("compile", checkCompileResponse, request("POST", "/compile", "application/json", { source })),
      modules: json("modules", checkModulesResponse, request("GET", "/modules", "application/json"))
    }
  })

/** The global WebSocket class as a factory, if there is one. */
const globalWebSocket = (): ((url: string, protocols: Array<string>) => unknown) | undefined => {
  const WebSocket = (globalThis as { WebSocket?: new (url: string, protocols?: Array<string>) => unknown }).WebSocket
  return WebSocket === undefined ? undefined : (url, protocols) => new WebSocket(url, protocols)
}

/**
 * One execution over `socket` as a Stream: pulling starts it; the end of
 * the stream (interruption, stopping early) aborts the iteration, which
 * cancels the execution on the server if it still runs.
 */
const socketStream = (socket: ExecutionSocket, request: SocketExecuteInput): Stream.Stream<StreamEvent, HttpClientFailure> =>
  Stream.suspend(() => {
    const controller = new AbortController()
    const events = socket.stream(request, { signal: controller.signal })
    const next = Effect.tryPromise({
      try: () => events.next(),
      catch: (error): HttpClientFailure => asFailure(error)
    })
    return Stream.repeatEffectOption(
      Effect.flatMap(Effect.mapError(next, Option.some), (r) => (r.done === true ? Effect.fail(Option.none()) : Effect.succeed(r.value)))
    ).pipe(Stream.ensuring(Effect.sync(() => controller.abort())))
  })

/** A client error as the Effect client's failure (an abort only ever comes from the stream's own end). */
const asFailure = (error: unknown): HttpClientFailure =>
  isClientError(error) && error._tag !== "Aborted" ? error : new StreamInterrupted({ executionId: undefined, received: 0, cause: error })

/**
 * The Effect client of a Constellation server.
 *
 * @since 0.1.0
 * @category tags
 */
export class ConstellationHttpClient extends Context.Tag("@constellation/client/ConstellationHttpClient")<
  ConstellationHttpClient,
  ConstellationHttpClientShape
>() {
  /** The client of the server at `options.baseUrl`; needs an `HttpClient`. */
  static readonly layer = (
    options: ConstellationHttpClientOptions
  ): Layer.Layer<ConstellationHttpClient, never, HttpClient.HttpClient> => Layer.effect(ConstellationHttpClient, make(options))
}
