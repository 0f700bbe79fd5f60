/**
 * The Server-Sent Events response of an execution: the headers that keep
 * proxies from buffering, one frame per event flushed as it is written,
 * keepalive comments in quiet periods, and the bookkeeping of open streams,
 * events sent and clients that went away before the last event.
 *
 * No Effect Stream on the way. The stream is the reader of the execution's
 * log that holds the execution back; each event is written as it is
 * appended (the execution runs in a fiber of the service):
 * - to a Node request, straight into its `ServerResponse`. The route
 *   answers with the headers only; a pre-response handler, which sees them
 *   as the middleware left them, writes them, then waits in the request's
 *   fiber until the execution has ended the response (the server then has
 *   nothing left to write). Frames made before the headers went out wait
 *   in memory and leave with them.
 * - to any other request (a web `Request` in-process), into a `PassThrough`
 *   that is the raw body of the response.
 * A full connection makes the execution wait for `drain`. The client
 * going away interrupts the execution.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Effect, Exit } from "effect"
import type { Fiber } from "effect"
import { ServerResponse } from "node:http"
import { PassThrough } from "node:stream"
import type { ExecutionEvent } from "../../runtime/ExecutionEvent.js"
import type { LogWriter } from "../../runtime/ExecutionLog.js"
import type { ExecuteRequest } from "../../protocol/api.js"
import type { ExecutionHandle, ExecutionsShape } from "../executions/Executions.js"
import type { ExecuteError } from "../HttpError.js"
import type { MetricsShape } from "../ops/Metrics.js"
import { comment, frame, Keepalive, KEEPALIVE } from "./sseFrames.js"
import { isFinalEvent } from "../../runtime/ExecutionEvent.js"
import { toWire } from "../../protocol/events.js"

export const CONTENT_TYPE = "text/event-stream"

/** Whether an `Accept` header asks for an event stream (`text/event-stream` with a non-zero q). */
export const acceptsEventStream = (accept: string | undefined): boolean =>
  accept !== undefined && accept.toLowerCase().includes(CONTENT_TYPE) && accept.split(",").some((range) => {
    const [type, ...params] = range.split(";").map((p) => p.trim().toLowerCase())
    const q = params.find((p) => p.startsWith("q="))
    return type === CONTENT_TYPE && (q === undefined || Number(q.slice(2)) > 0)
  })

export interface EventStreamOptions {
  readonly heartbeatIntervalMs: number
  readonly metrics: MetricsShape
}

/** What frames are written to: a Node response, or the body of a web one. */
type Target = ServerResponse | PassThrough

/**
 * One event stream: the sink the execution writes to, the keepalive, and
 * what ends it (the execution's end, or the client going away, which
 * interrupts the execution).
 */
class EventStream {
  /** Undefined until the headers are written (a Node response); frames wait in `pending`. */
  private target: Target | undefined
  private pending: Array<string> | undefined = []
  private keepalive: Keepalive | undefined
  private fiber: Fiber.RuntimeFiber<void> | undefined
  /** The final event was written. */
  private sentFinal = false
  /** No more writes: the execution ended, or the client went away. */
  private done = false
  /** The execution ended (rather than the client leaving): the target is (to be) ended. */
  private ended = false
  private onEnded: (() => void) | undefined

  constructor(executionId: string, private readonly options: EventStreamOptions) {
    // The opening comment sends the status and headers at once.
    this.pending!.push(comment(`execution ${executionId}`))
  }

  private write(text: string): void {
    if (this.target === undefined) this.pending?.push(text)
    else this.target.write(text)
  }

  private get full(): boolean {
    return this.target !== undefined && this.target.writableNeedDrain
  }

  private send(e: ExecutionEvent): void {
    if (this.done) return
    const wire = toWire(e)
    if (isFinalEvent(e)) this.sentFinal = true
    this.options.metrics.countEventSent(wire.event)
    this.keepalive?.touch()
    this.write(frame(wire))
  }

  /** What the log writes to. Once the client is gone, events are dropped: the execution is being interrupted. */
  readonly writer: LogWriter = {
    write: (e) => this.send(e),
    hasRoom: () => this.done || !this.full,
    onRoom: (wake) => {
      const target = this.target!
      const go = () => {
        target.off("drain", go)
        target.off("close", go)
        wake()
      }
      target.on("drain", go)
      target.on("close", go)
      return () => {
        target.off("drain", go)
        target.off("close", go)
      }
    }
  }

  /**
   * Watches the running execution: its end ends the response; `closed`
   * (the connection, or the body) closing first means the client left.
   */
  watch(fiber: Fiber.RuntimeFiber<void>, closed: Target): void {
    this.fiber = fiber
    const metrics = this.options.metrics
    metrics.countStream("sse", 1)
    fiber.addObserver((exit) => {
      metrics.countStream("sse", -1)
      if (!this.sentFinal && Exit.isInterrupted(exit)) metrics.countDisconnect("sse")
      this.end()
    })
    if (this.done) return
    this.keepalive = new Keepalive(this.options.heartbeatIntervalMs, () => {
      if (!this.done && !this.full) this.write(KEEPALIVE)
    })
    closed.once("close", this.gone)
    if (closed.destroyed) this.gone()
  }

  /** From now on frames go to `target`; those made so far go first. */
  attach(target: Target): void {
    const pending = this.pending
    this.pending = undefined
    this.target = target
    if (pending !== undefined && pending.length > 0 && !target.destroyed) target.write(pending.join(""))
    if (this.ended && !target.writableEnded) target.end()
  }

  /** Completes when the execution has ended the response; interrupting it stops the execution. */
  readonly whenEnded: Effect.Effect<void> = Effect.async<void>((resume) => {
    if (this.ended) return resume(Effect.void)
    this.onEnded = () => resume(Effect.void)
    return Effect.sync(() => {
      this.onEnded = undefined
      this.stop()
    })
  })

  /** Stops the execution without answering (the client left, or the response is not the stream's). */
  readonly stop = (): void => {
    if (this.done) return
    this.done = true
    this.keepalive?.stop()
    this.fiber?.unsafeInterruptAsFork(HttpServerError.clientAbortFiberId)
  }

  /** The execution ended: so does the response (a Node one even when its client left, so it counts as answered). */
  private readonly end = (): void => {
    this.ended = true
    if (!this.done) {
      this.done = true
      this.keepalive?.stop()
    }
    const target = this.target
    if (target !== undefined && !target.writableEnded && !(target instanceof PassThrough && target.destroyed)) target.end()
    const onEnded = this.onEnded
    this.onEnded = undefined
    onEnded?.()
  }

  /** The connection or the body closed: before the end, the client went away. */
  private readonly gone = (): void => {
    if (this.done) return
    const target = this.target
    if (target instanceof PassThrough && !target.destroyed) target.destroy()
    this.stop()
  }
}

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

/** Reads `handle`'s log into a new event stream and starts the execution. */
const launch = (handle: ExecutionHandle, options: EventStreamOptions) => {
  const stream = new EventStream(handle.executionId, options)
  handle.log.read(stream.writer, { holdsExecution: true })
  return { executionId: handle.executionId, stream, fiber: handle.start() }
}

/**
 * Prepares `request`'s execution and answers with its event stream. The
 * stream opens with a comment, so the status and headers reach the client
 * at once, and ends after the final event. Every problem known before
 * the execution starts fails the effect (a 4xx JSON answer).
 */
export const eventStreamResponse = (
  executions: ExecutionsShape,
  request: ExecuteRequest,
  options: EventStreamOptions
): Effect.Effect<HttpServerResponse.HttpServerResponse, ExecuteError, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (http) =>
    Effect.flatMap(
      // Started in the same uninterruptible region as prepared: the admission slot cannot be lost.
      Effect.uninterruptibleMask((restore) =>
        Effect.map(restore(executions.prepare(request, "stream")), (handle) => launch(handle, options))
      ),
      ({ executionId, fiber, stream: s }) => {
        const headers = {
          "cache-control": "no-cache, no-transform",
          "x-accel-buffering": "no",
          "x-execution-id": executionId
        }
        const node = nodeResponseOf(http)
        if (node === undefined) {
          const body = new PassThrough()
          s.attach(body)
          s.watch(fiber, body)
          return Effect.succeed(HttpServerResponse.raw(body, { contentType: CONTENT_TYPE, headers }))
        }
        s.watch(fiber, node)
        return Effect.as(
          HttpApp.appendPreResponseHandler((_request, response) => {
            // Only this stream's own answer is written here; any other (a middleware's) goes as it is.
            if (response.headers["x-execution-id"] !== executionId || node.headersSent || node.destroyed) {
              s.stop()
              return Effect.succeed(response)
            }
            node.writeHead(response.status, nodeHeaders(response))
            s.attach(node)
            return Effect.as(s.whenEnded, response)
          }),
          HttpServerResponse.empty({ status: 200, headers: { "content-type": CONTENT_TYPE, ...headers } })
        )
      }
    ))
