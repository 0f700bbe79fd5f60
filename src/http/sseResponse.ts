/**
 * The Server-Sent Events response of an execution: the headers that keep
 * proxies from buffering, one frame per event flushed as it is written,
 * keepalive comments in quiet periods, and the bookkeeping of open streams,
 * events sent and clients that went away before the last event.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Exit, Stream } from "effect"
import type { Started } from "./Executions.js"
import type { MetricsShape } from "./Metrics.js"
import { comment, frame, withKeepalive } from "./sse.js"
import { isFinalEvent, toWire } from "./WireEvent.js"

export const CONTENT_TYPE = "text/event-stream"

/** Whether an `Accept` header asks for an event stream (`text/event-stream` with a non-zero q). */
export const acceptsEventStream = (accept: string | undefined): boolean =>
  accept !== undefined && accept.split(",").some((range) => {
    const [type, ...params] = range.split(";").map((p) => p.trim().toLowerCase())
    const q = params.find((p) => p.startsWith("q="))
    return type === CONTENT_TYPE && (q === undefined || Number(q.slice(2)) > 0)
  })

/**
 * The response streaming `started`'s events. The stream opens with a
 * comment, so the status and headers reach the client at once, and ends
 * after the final event.
 */
export const eventStreamResponse = (
  started: Started,
  options: { readonly heartbeatIntervalMs: number; readonly metrics: MetricsShape }
): HttpServerResponse.HttpServerResponse => {
  const { metrics } = options
  const body = Stream.unwrapScoped(Effect.gen(function*() {
    yield* metrics.openStream("sse")
    let finished = false
    const frames = started.events.pipe(
      Stream.mapEffect((e) => {
        if (isFinalEvent(e)) finished = true
        const wire = toWire(e)
        return Effect.as(metrics.eventSent(wire.event), frame(wire))
      })
    )
    return withKeepalive(Stream.concat(Stream.make(comment(`execution ${started.executionId}`)), frames), options.heartbeatIntervalMs)
      .pipe(
        Stream.ensuringWith((exit) =>
          !finished && Exit.isInterrupted(exit) ? metrics.clientDisconnected("sse") : Effect.void
        )
      )
  }))
  return HttpServerResponse.stream(Stream.encodeText(body), {
    contentType: CONTENT_TYPE,
    headers: {
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      "x-execution-id": started.executionId
    }
  })
}
