/**
 * One Server-Sent Events response being written: the `LogWriter` a log
 * reader writes to, keepalive comments in quiet periods, and what ends it
 * (`end`: the response is complete) or abandons it (`stop`: the client went
 * away, or the answer is not the stream's).
 *
 * Frames go to a Node `ServerResponse` once its headers are written (made
 * before that, they wait in memory and leave with them), or into a
 * `PassThrough` that is the raw body of a web response. A full connection
 * makes the reader wait for `drain`.
 */
import { Effect } from "effect"
import type { ServerResponse } from "node:http"
import { PassThrough } from "node:stream"
import type { ExecutionEvent } from "../../runtime/ExecutionEvent.js"
import { isFinalEvent } from "../../runtime/ExecutionEvent.js"
import type { LogWriter } from "../../runtime/ExecutionLog.js"
import { toWire } from "../../protocol/events.js"
import type { MetricsShape } from "../ops/Metrics.js"
import { comment, frame, Keepalive, KEEPALIVE } from "./sseFrames.js"

export const CONTENT_TYPE = "text/event-stream"

export interface EventStreamOptions {
  readonly heartbeatIntervalMs: number
  readonly metrics: MetricsShape
}

/** What frames are written to: a Node response, or the body of a web one. */
export type Target = ServerResponse | PassThrough

/** The SSE id of an event: its output's name (`POST /execute/stream`) or its `seq` (`/executions/{id}/events`). */
export type EventId = (e: ExecutionEvent) => string | undefined

export const idByOutput: EventId = (e) => e._tag === "Output" || e._tag === "OutputFailed" ? e.name : undefined
export const idBySeq: EventId = (e) => String(e.seq)

export class EventStream {
  /** Undefined until the headers are written (a Node response); frames wait in `pending`. */
  private target: Target | undefined
  private pending: Array<string> | undefined = []
  private keepalive: Keepalive | undefined
  /** The final event was written. */
  sentFinal = false
  /** No more writes: the stream ended, or the client went away. */
  private done = false
  /** The stream ended (rather than the client leaving): the target is (to be) ended. */
  private ended = false
  private counted = false
  private onEnded: (() => void) | undefined

  /**
   * `opening` is written first (a comment, so the status and headers reach
   * the client at once); `onStop` runs once if the client goes away before
   * the end.
   */
  constructor(
    opening: string,
    private readonly options: EventStreamOptions,
    private readonly idOf: EventId,
    private readonly onStop: () => void
  ) {
    this.pending!.push(opening)
  }

  /** Writes a frame made elsewhere (a snapshot, a `retry:` line). */
  writeRaw(text: string): void {
    if (this.done) return
    this.keepalive?.touch()
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
    // The wire event's own id is the output's name: no second call for `POST /execute/stream`.
    this.writeRaw(frame(wire, this.idOf === idByOutput ? wire.id : this.idOf(e)))
  }

  /** What the log writes to. Once the client is gone, events are dropped. */
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

  /** Counts the stream open, starts the keepalive, and watches `closed` (the connection, or the body) for the client leaving. */
  open(closed: Target): void {
    // Ended already (an execution that never suspended): nothing to watch.
    if (this.ended) return
    this.counted = true
    this.options.metrics.countStream("sse", 1)
    if (this.done) return
    this.keepalive = new Keepalive(this.options.heartbeatIntervalMs, () => {
      if (!this.done && !this.full) this.writeRaw(KEEPALIVE)
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

  /** Completes when the stream has ended the response; interrupting it stops the stream. */
  readonly whenEnded: Effect.Effect<void> = Effect.async<void>((resume) => {
    if (this.ended) return resume(Effect.void)
    // Through a local: a function literal assigned to a property is allocated in V8's old generation (test/architecture/pretenuredClosures.test.ts).
    const ended = () => resume(Effect.void)
    this.onEnded = ended
    return Effect.sync(() => {
      this.onEnded = undefined
      this.stop()
    })
  })

  /** Stops writing without answering further (the client left, or the response is not the stream's). */
  readonly stop = (): void => {
    if (this.done) return
    this.done = true
    this.keepalive?.stop()
    if (!this.sentFinal && this.counted) this.options.metrics.countDisconnect("sse")
    this.onStop()
  }

  /** The stream is complete: so is the response (a Node one even when its client left, so it counts as answered). */
  readonly end = (): void => {
    if (this.ended) return
    this.ended = true
    if (this.counted) this.options.metrics.countStream("sse", -1)
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

/** The opening comment of an execution's stream. */
export const opening = (executionId: string): string => comment(`execution ${executionId}`)
