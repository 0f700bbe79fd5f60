/**
 * The Server-Sent Events response of an execution started by the request
 * (`POST /execute/stream`): the headers that keep proxies from buffering,
 * one frame per event flushed as it is written (its id the output's name),
 * keepalive comments in quiet periods, and the bookkeeping of open streams,
 * events sent and clients that went away before the last event.
 *
 * No Effect Stream on the way. The stream is a reader of the execution's
 * log; each event is written as it is appended (the execution runs in a
 * fiber of the service):
 * - to a Node request, straight into its `ServerResponse`. The route
 *   answers with the headers only; a pre-response handler, which sees them
 *   as the middleware left them, writes them, then waits in the request's
 *   fiber until the stream has ended the response. Frames made before the
 *   headers went out wait in memory and leave with them.
 * - to any other request (a web `Request` in-process), into a `PassThrough`
 *   that is the raw body of the response.
 *
 * With `onDisconnect: "cancel"` (the default) the reader holds the
 * execution back (a full connection makes it wait for `drain`) and the
 * client going away interrupts it. With `"continue"` the execution runs at
 * its own pace, the client going away only ends the reading (the lease
 * starts), and the execution stays readable at `/executions/{id}/events`.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Effect } from "effect"
import type { Fiber } from "effect"
import { ServerResponse } from "node:http"
import { PassThrough } from "node:stream"
import type { ExecuteRequest } from "../../protocol/api.js"
import type { LogReader } from "../../runtime/ExecutionLog.js"
import type { ExecutionHandle, ExecutionsShape } from "../executions/Executions.js"
import type { RetainedShape } from "../executions/Retained.js"
import type { ExecuteError } from "../HttpError.js"
import { CONTENT_TYPE, EventStream, idByOutput, opening } from "./EventStream.js"
import type { EventStreamOptions } from "./EventStream.js"

export { CONTENT_TYPE } from "./EventStream.js"
export type { EventStreamOptions } from "./EventStream.js"

/** Whether an `Accept` header asks for an event stream (`text/event-stream` with a non-zero q). */
export const acceptsEventStream = (accept: string | undefined): boolean =>
  accept !== undefined && accept.toLowerCase().includes(CONTENT_TYPE) && accept.split(",").some((range) => {
    const [type, ...params] = range.split(";").map((p) => p.trim().toLowerCase())
    const q = params.find((p) => p.startsWith("q="))
    return type === CONTENT_TYPE && (q === undefined || Number(q.slice(2)) > 0)
  })

/** The headers every execution stream is sent with. */
export const streamHeaders = (executionId: string): Record<string, string> => ({
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  "x-execution-id": executionId
})

const nodeResponseOf = (request: HttpServerRequest.HttpServerRequest): ServerResponse | undefined => {
  const response: unknown = NodeHttpServerRequest.toServerResponse(request)
  return response instanceof ServerResponse ? response : undefined
}

/** The headers `response` is written with by the Node server (its cookies included). */
const nodeHeaders = (response: HttpServerResponse.HttpServerResponse) => {
  if (Cookies.isEmpty(response.cookies)) return response.headers
  const setCookie: Array<string> = [...Cookies.toSetCookieHeaders(response.cookies)]
  const existing = response.headers["set-cookie"]
  if (existing !== undefined) setCookie.push(existing)
  return { ...response.headers, "set-cookie": setCookie }
}

/**
 * The response of `stream`, written as the stream goes (see the module's
 * comment); `headers` must carry `x-execution-id`, by which the stream
 * knows its own answer from a middleware's.
 */
export const streamResponse = (
  http: HttpServerRequest.HttpServerRequest,
  stream: EventStream,
  headers: Record<string, string>
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  const node = nodeResponseOf(http)
  if (node === undefined) {
    const body = new PassThrough()
    stream.attach(body)
    stream.open(body)
    return Effect.succeed(HttpServerResponse.raw(body, { contentType: CONTENT_TYPE, headers }))
  }
  stream.open(node)
  const id = headers["x-execution-id"]
  return Effect.as(
    HttpApp.appendPreResponseHandler((_request, response) => {
      // Only this stream's own answer is written here; any other (a middleware's) goes as it is.
      if (response.headers["x-execution-id"] !== id || node.headersSent || node.destroyed) {
        stream.stop()
        return Effect.succeed(response)
      }
      node.writeHead(response.status, nodeHeaders(response))
      stream.attach(node)
      return Effect.as(stream.whenEnded, response)
    }),
    HttpServerResponse.empty({ status: 200, headers: { "content-type": CONTENT_TYPE, ...headers } })
  )
}

/**
 * Reads `handle`'s log into a new event stream and starts the execution.
 *
 * @internal Exported for bench/httpEngineBare.ts (the engine without the platform's router).
 */
export const launch = (handle: ExecutionHandle, options: EventStreamOptions, retained: RetainedShape): EventStream => {
  const leave = retained.subscribe(handle.retained)
  if (handle.retained.onDisconnect === "continue") {
    let reader: LogReader | undefined = undefined
    const stream: EventStream = new EventStream(opening(handle.executionId), options, idByOutput, () => {
      reader?.close()
      leave()
      stream.end()
    })
    reader = handle.log.read(stream.writer, {
      onEnd: () => {
        leave()
        stream.end()
      }
    })
    handle.start()
    return stream
  }
  let fiber: Fiber.RuntimeFiber<void> | undefined = undefined
  const stream = new EventStream(opening(handle.executionId), options, idByOutput, () => {
    fiber?.unsafeInterruptAsFork(HttpServerError.clientAbortFiberId)
  })
  handle.log.read(stream.writer, { holdsExecution: true })
  fiber = handle.start()
  fiber.addObserver(() => {
    leave()
    stream.end()
  })
  return stream
}

/**
 * Prepares `request`'s execution and answers with its event stream. The
 * stream opens with a comment, so the status and headers reach the client
 * at once, and ends after the final event. Every problem known before
 * the execution starts fails the effect (a 4xx JSON answer).
 */
export const eventStreamResponse = (
  executions: ExecutionsShape,
  retained: RetainedShape,
  request: ExecuteRequest,
  options: EventStreamOptions
): Effect.Effect<HttpServerResponse.HttpServerResponse, ExecuteError, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (http) =>
    Effect.flatMap(
      // Started in the same uninterruptible region as prepared: the admission slot cannot be lost.
      Effect.uninterruptibleMask((restore) =>
        Effect.map(restore(executions.prepare(request, "stream")), (handle) => ({ handle, stream: launch(handle, options, retained) }))
      ),
      ({ handle, stream }) =>
        streamResponse(http, stream, {
          ...streamHeaders(handle.executionId),
          "content-location": `/executions/${handle.executionId}`
        })
    ))
