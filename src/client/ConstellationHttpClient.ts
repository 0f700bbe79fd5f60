/**
 * The client for Effect applications: a service built on
 * `@effect/platform`'s `HttpClient`, whose `stream` is a `Stream` of typed
 * events. Interrupting the stream (or stopping early, `Stream.take(1)`)
 * closes the connection, which cancels the execution on the server.
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
import { Context, Effect, Layer, Stream } from "effect"
import type { Schema } from "effect"
import {
  BatchResponse as BatchResponseSchema,
  CompileResponse as CompileResponseSchema,
  ModulesResponse as ModulesResponseSchema
} from "../http/ApiModels.js"
import type { BatchResponse, CompileResponse, ModulesResponse } from "../http/ApiModels.js"
import { ConnectFailed, ProtocolError } from "./ClientError.js"
import type { RequestRejected, StreamInterrupted } from "./ClientError.js"
import type { ExecuteInput } from "./ConstellationClient.js"
import { makeEventDecoder } from "./EventDecoder.js"
import { decodeJsonBody, isEventStream, rejectionOf } from "./responseBody.js"
import { isFinal } from "./StreamEvent.js"
import type { StreamEvent } from "./StreamEvent.js"
import { urlOf } from "./fetchTransport.js"

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
   * A pipeline's events in completion order, ending after the final event;
   * fails with `StreamInterrupted` when the stream stops before it.
   */
  readonly stream: (request: ExecuteInput) => Stream.Stream<StreamEvent, HttpClientFailure>
  /** Compiles a pipeline: its ref, typed inputs and outputs, and DAG. */
  readonly compile: (source: string) => Effect.Effect<CompileResponse, HttpClientFailure>
  /** The modules a pipeline may call, with their signatures. */
  readonly modules: Effect.Effect<ModulesResponse, HttpClientFailure>
}

/** @since 0.1.0 @category models */
export interface ConstellationHttpClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string
  /** Headers sent with every request (an API key, a bearer token). */
  readonly headers?: Readonly<Record<string, string>>
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

    const request = (method: "GET" | "POST", path: string, accept: string, body?: unknown) => {
      const base = (method === "GET" ? HttpClientRequest.get : HttpClientRequest.post)(urlOf(options.baseUrl, path))
        .pipe(HttpClientRequest.setHeaders({ ...headers, accept }))
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

    /** Sends a request and decodes its JSON answer, in a span named after the method. */
    const json = <A, I>(span: string, schema: Schema.Schema<A, I>, req: HttpClientRequest.HttpClientRequest) =>
      sendWith(http, req).pipe(
        Effect.flatMap((response) => Effect.mapError(response.text, connectFailed(req.url))),
        Effect.flatMap((text) => decodeJsonBody(schema, text, req.url)),
        Effect.withSpan(`ConstellationHttpClient.${span}`)
      )

    const stream = (input: ExecuteInput): Stream.Stream<StreamEvent, HttpClientFailure> =>
      Stream.unwrapScoped(Effect.gen(function*() {
        // withScope: the request is aborted when the stream's scope closes, even mid-body.
        const response = yield* sendWith(HttpClient.withScope(http), request("POST", "/execute/stream", "text/event-stream", input))
        const contentType = response.headers["content-type"]
        if (!isEventStream(contentType)) {
          return yield* new ProtocolError({ detail: `expected text/event-stream, got "${contentType ?? "no content type"}"` })
        }
        const decoder = makeEventDecoder()
        const ended = Stream.suspend(() => decoder.finished() ? Stream.empty : Stream.fail(decoder.interrupted()))
        return response.stream.pipe(
          Stream.decodeText(),
          Stream.mapError((e) => decoder.interrupted(e.cause ?? e)),
          Stream.mapEffect((chunk) => decoder.feed(chunk)),
          Stream.flattenIterables,
          Stream.takeUntil(isFinal),
          Stream.concat(ended)
        )
      }))

    return {
      execute: (input) => json("execute", BatchResponseSchema, request("POST", "/execute", "application/json", input)),
      stream: (input) => Stream.withSpan(stream(input), "ConstellationHttpClient.stream"),
      compile: (source) => json("compile", CompileResponseSchema, request("POST", "/compile", "application/json", { source })),
      modules: json("modules", ModulesResponseSchema, request("GET", "/modules", "application/json"))
    }
  })

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
