/**
 * Writes one execution's log to its Redis stream, alongside: a reader of
 * the in-memory log that never holds the execution back. What is appended
 * in one tick goes to Redis in one script call (and the calls of every
 * execution in that tick in one write on the connection), after the
 * in-memory readers have been written to, so the execution's own readers
 * never wait for Redis.
 *
 * A failed write (Redis unreachable) marks the mirror broken: nothing more
 * is sent until the connection is back, then the whole log is written
 * again (the script skips what the stream already has). An answer that
 * another instance has ended the execution (this one was thought lost)
 * cancels it here with the same error.
 */
import type { ExecutionEvent } from "../../runtime/ExecutionEvent.js"
import { isFinalEvent } from "../../runtime/ExecutionEvent.js"
import { statusOf } from "../../runtime/foldResult.js"
import type { LogReader } from "../../runtime/ExecutionLog.js"
import type { RetainedExecution } from "../executions/Retained.js"
import { encodeEvent } from "./eventCodec.js"

/** What a mirror needs of the store. */
export interface MirrorSink {
  /** This instance: the execution's owner. */
  readonly ownerId: string
  /**
   * Writes meta fields and events (registering the execution with the
   * first write, deregistering it with the final event); answers the
   * stream's last seq (-1: none), or -2 when the execution was ended elsewhere.
   */
  readonly append: (
    execution: RetainedExecution,
    write: { readonly ttlMs: number; readonly register: boolean; readonly ending: boolean; readonly ordinal: number },
    meta: ReadonlyArray<string>,
    events: ReadonlyArray<string | number>
  ) => Promise<number>
  /** How long the keys of a running execution live (refreshed on every write). */
  readonly runningTtlMs: number
  /** How long the keys of a finished execution live: its retention. */
  readonly finishedTtlMs: number
  /** The execution has ended and its final event is in the stream. */
  readonly finished: (execution: RetainedExecution) => void
  /** The execution was ended by another instance while it ran here. */
  readonly endedElsewhere: (execution: RetainedExecution) => void
  /** Whether writes can be tried now. */
  readonly up: () => boolean
}

export class LogMirror {
  private pending: Array<string | number> = []
  private scheduled = false
  private registeredOnce = false
  private succeeded = 0
  private sentSucceeded = -1
  /** The final event is among the pending ones. */
  private ending = false
  private reader: LogReader | undefined
  /** A write failed: the whole log is written again once the store is back. */
  broken = false
  /** The final event is in the stream. */
  done = false
  /** The last write sent. */
  private lastWrite: Promise<unknown> = Promise.resolve()
  private resolveRegistered: (() => void) | undefined
  /** Settles once the first write has been answered (either way). */
  readonly registered: Promise<void>

  constructor(
    readonly execution: RetainedExecution,
    readonly ordinal: number,
    private readonly sink: MirrorSink
  ) {
    this.registered = new Promise((resolve) => (this.resolveRegistered = resolve))
  }

  /** Starts reading the log from its first event. */
  start(): void {
    this.reader = this.execution.log.read({
      write: this.write,
      hasRoom: () => true,
      onRoom: () => () => undefined
    })
    if (this.pending.length === 0) this.schedule()
  }

  /** Stops reading (the service is closing). */
  stop(): void {
    this.reader?.close()
  }

  private readonly write = (e: ExecutionEvent): void => {
    if (e._tag === "Output") this.succeeded++
    if (this.broken) return
    if (isFinalEvent(e)) this.ending = true
    this.pending.push(e.seq, encodeEvent(e))
    this.schedule()
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // After the in-memory readers of this tick: one call for everything appended meanwhile.
    setImmediate(this.flush)
  }

  private metaFields(): Array<string> {
    const e = this.execution
    const log = e.log
    const fields: Array<string> = []
    if (!this.registeredOnce) {
      fields.push(
        "owner", this.sink.ownerId,
        "outputs", JSON.stringify(log.outputs),
        "mode", e.mode,
        "onDisconnect", e.onDisconnect,
        "leaseMs", String(e.leaseMs),
        "startedAt", String(e.startedAt),
        "ordinal", String(this.ordinal)
      )
      if (e.token !== undefined) fields.push("token", e.token)
    }
    if (this.succeeded !== this.sentSucceeded) fields.push("succeeded", String(this.succeeded))
    const final = log.finalEvent
    if (this.ending && final !== undefined) {
      fields.push("finishedAt", String(final.timestamp), "status", statusOf(log.succeeded, log.outputs.length))
    }
    return fields
  }

  private readonly flush = (): void => {
    this.scheduled = false
    if (this.broken || this.done) return
    const events = this.pending
    this.pending = []
    const first = !this.registeredOnce
    const meta = this.metaFields()
    const ending = this.ending
    this.ending = false
    const succeeded = this.succeeded
    const ttl = ending ? this.sink.finishedTtlMs : this.sink.runningTtlMs
    const written = this.sink.append(this.execution, { ttlMs: ttl, register: first, ending, ordinal: this.ordinal }, meta, events)
    this.registeredOnce = true
    this.sentSucceeded = succeeded
    this.lastWrite = written.then(
      (last) => {
        if (first) this.resolveRegistered?.()
        if (last === -2) {
          this.done = true
          this.sink.endedElsewhere(this.execution)
          return
        }
        if (ending) {
          this.done = true
          this.sink.finished(this.execution)
        }
      },
      () => {
        if (first) this.resolveRegistered?.()
        this.broken = true
      }
    )
  }

  /** Sends what is pending now; completes when every write sent has been answered. */
  drain(): Promise<void> {
    if (this.scheduled) this.flush()
    return this.lastWrite.then(() => undefined, () => undefined)
  }

  /** Writes the whole log again (after the store came back); the stream keeps what it had. */
  resync(): void {
    if (!this.broken || this.done) return
    this.broken = false
    this.registeredOnce = false
    this.sentSucceeded = -1
    const events: Array<string | number> = []
    for (const e of this.execution.log.events) {
      if (isFinalEvent(e)) this.ending = true
      events.push(e.seq, encodeEvent(e))
    }
    this.pending = events
    this.schedule()
  }
}
