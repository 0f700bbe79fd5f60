/**
 * The log of one execution: the one place its events are numbered
 * (`seq`), kept, and read. The execution appends; everything that shows
 * the events (the library's `Stream`, the batch result, SSE, WebSocket) is
 * a reader with a cursor, written to through a small `LogWriter`.
 *
 * What it keeps: every result event (`Output`, `OutputFailed`,
 * `ExecutionFailed`) for the life of the execution, so a reader attached
 * late still gets every output; module and progress events only until the
 * reader that holds the execution back has written them (then the newest
 * `Progress` wins). Its memory is bounded by the declared outputs, not by
 * the number of events.
 *
 * Backpressure: one reader may hold the execution back (`holdsExecution`).
 * While it has events not yet written, `publish` answers false and the
 * execution handles nothing further until `onCaughtUp` is called; progress
 * counts that arrive meanwhile are coalesced (the newest replaces older
 * ones). Other readers never slow the execution: one that falls behind
 * skips the module and progress events dropped meanwhile, never a result.
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import { isFinalEvent as isFinal } from "./ExecutionEvent.js"
import type { ErrorInfo, ExecutionEvent, ExecutionFailedEvent } from "./ExecutionEvent.js"
import { Reader } from "./internal/logReader.js"
import { PublishedOutputs } from "./internal/PublishedOutputs.js"

/**
 * What a transport supplies to read a log: write an event, say whether
 * there is room, and say when there is room again.
 *
 * @since 0.2.0
 * @category models
 */
export interface LogWriter {
  /** Takes one event; called only when `hasRoom()` said yes. */
  readonly write: (event: ExecutionEvent) => void
  /** Whether `write` may be called now. */
  readonly hasRoom: () => boolean
  /** Calls `wake` once when there may be room again; returns a function that cancels the wait. */
  readonly onRoom: (wake: () => void) => () => void
}

/** @since 0.2.0 @category models */
export interface ReadOptions {
  /** Write the events after this `seq` (default: from the first). */
  readonly after?: number | undefined
  /** This reader holds the execution back while it has events not yet written (at most one reader per log). */
  readonly holdsExecution?: boolean | undefined
  /** Called once, after the final event was written. */
  readonly onEnd?: (() => void) | undefined
}

/** @since 0.2.0 @category models */
export interface LogReader {
  /** The `seq` of the last event written to this reader (-1 before the first). */
  readonly position: number
  /** Whether the final event was written to this reader. */
  readonly ended: boolean
  /** Stops reading: nothing more is written. */
  readonly close: () => void
}

const isResult = (e: ExecutionEvent): boolean =>
  e._tag === "Output" || e._tag === "OutputFailed" || e._tag === "ExecutionFailed"

/** Retained non-result events beyond which the log compacts (drops those every holding reader has written). */
const COMPACT_SLACK = 64

/**
 * One execution's log.
 *
 * @since 0.2.0
 * @category models
 */
export class ExecutionLog {
  /** @internal Retained events, in `seq` order. */
  events: Array<ExecutionEvent> = []
  private nextSeq = 0
  private results = 0
  /** The newest progress count not appended yet (the holding reader was full). */
  private held: ExecutionEvent | undefined
  /** Which outputs were published. */
  private readonly publishedOutputs: PublishedOutputs
  private succeededCount = 0
  private final: ExecutionEvent | undefined
  private readers: Array<Reader> = []
  private holder: Reader | undefined
  /** A wait in `finish` for the holding reader to write the final event. */
  private onFinalWritten: (() => void) | undefined
  /** Called when the holding reader has written everything after `publish` answered false. */
  onCaughtUp: (() => void) | undefined = undefined

  constructor(
    readonly executionId: string,
    /** The declared outputs' names, in declaration order. */
    readonly outputs: ReadonlyArray<string>,
    private readonly now: () => number
  ) {
    this.publishedOutputs = new PublishedOutputs(outputs)
  }

  // ------------------------------------------------------------ what is known

  /** Whether the final event was appended. */
  get finished(): boolean {
    return this.final !== undefined
  }

  /** The final event, once appended. */
  get finalEvent(): ExecutionEvent | undefined {
    return this.final
  }

  /** The `seq` of the last event appended (-1 before the first). */
  get lastSeq(): number {
    return this.nextSeq - 1
  }

  /** Whether `name` was published (its value or its failure). */
  published(name: string): boolean {
    return this.publishedOutputs.has(name)
  }

  /** How many outputs have a value. */
  get succeeded(): number {
    return this.succeededCount
  }

  /** The declared outputs not published (yet). */
  missing(): Array<string> {
    return this.publishedOutputs.missing()
  }

  /** The result events appended so far, in order. */
  resultEvents(): Array<ExecutionEvent> {
    return this.events.filter(isResult)
  }

  // ------------------------------------------------------------ writing

  /** The holding reader has events not yet written: the execution must wait. */
  get blocked(): boolean {
    return this.holder !== undefined && this.holder.behind
  }

  /** Whether a progress count is held back. */
  get holding(): boolean {
    return this.held !== undefined
  }

  /** Appends `fresh`, in order; false when the holding reader is full (`onCaughtUp` follows). */
  publish(fresh: ReadonlyArray<ExecutionEvent>): boolean {
    for (let i = 0; i < fresh.length; i++) {
      const e = fresh[i]!
      if (e._tag === "Progress") {
        if (this.held === undefined && !this.blocked) this.append(e)
        else this.held = e
        continue
      }
      // What is held is older than `e`: it goes first.
      if (this.held !== undefined) this.appendHeld()
      this.append(e)
    }
    return !this.blocked
  }

  /**
   * As `publish`, for a caller that lets go of `fresh`: when the log is
   * empty, nobody reads it yet and `fresh` holds results only (a batch
   * run's first step), `fresh` becomes the log's list of events as it is,
   * instead of being copied into it event by event.
   */
  publishOwned(fresh: Array<ExecutionEvent>): boolean {
    if (this.events.length > 0 || this.readers.length > 0 || this.held !== undefined || this.final !== undefined) return this.publish(fresh)
    for (let i = 0; i < fresh.length; i++) if (!isResult(fresh[i]!)) return this.publish(fresh)
    let n = 0
    while (n < fresh.length && this.final === undefined) this.count(fresh[n++]!)
    if (n < fresh.length) fresh.length = n
    this.events = fresh
    return true
  }

  /** Appends the held progress count, if any; false when the holding reader is full. */
  flushHeld(): boolean {
    if (this.held !== undefined) this.appendHeld()
    return !this.blocked
  }

  /**
   * Ends the log early with a final `ExecutionFailed` naming the outputs
   * that never came (nothing when it has ended already); completes once the
   * holding reader has written it.
   */
  finish(error: ErrorInfo): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.end(error)
      if (this.holder === undefined || !this.holder.behind) return Effect.void
      return Effect.async<void>((resume) => {
        // Through a local: a function literal assigned to a property is allocated in the old generation (test/architecture/pretenuredClosures.test.ts).
        const written = () => resume(Effect.void)
        this.onFinalWritten = written
        return Effect.sync(() => void (this.onFinalWritten = undefined))
      })
    })
  }

  /** Why the execution is being interrupted, for the final event `interrupted` appends (default `cancelled`). */
  interruptReason: ErrorInfo | undefined = undefined

  /** The execution was interrupted: ends the log with `interruptReason` (nothing when it has ended already). */
  interrupted(fallback: ErrorInfo): void {
    this.end(this.interruptReason ?? fallback)
  }

  /** Ends the log at once with a final `ExecutionFailed` (nothing when it has ended already). */
  end(error: ErrorInfo): void {
    if (this.final !== undefined) return
    if (this.held !== undefined) this.appendHeld()
    const final: ExecutionFailedEvent = {
      _tag: "ExecutionFailed",
      executionId: this.executionId,
      seq: -1,
      timestamp: this.now(),
      error,
      missing: this.missing(),
      isFinal: true
    }
    this.append(final)
  }

  /**
   * Appends an event numbered by another log (this one is its replica, fed
   * from a shared store): it keeps its `seq`, which must be above the last
   * one's (an event at or below it is ignored). Readers see it as any other.
   *
   * @internal
   */
  replicate(e: ExecutionEvent): void {
    if (e.seq <= this.nextSeq - 1) return
    this.nextSeq = e.seq
    this.append(e)
  }

  /** Numbers `e` and counts what it says (before it joins `events`). */
  private count(e: ExecutionEvent): void {
    ;(e as { seq: number }).seq = this.nextSeq++
    if (e._tag === "Output") {
      this.publishedOutputs.mark(e.name)
      this.succeededCount++
      this.results++
    } else if (e._tag === "OutputFailed") {
      this.publishedOutputs.mark(e.name)
      this.results++
    } else if (e._tag === "ExecutionFailed") this.results++
    if (isFinal(e)) this.final = e
  }

  private appendHeld(): void {
    const h = this.held!
    this.held = undefined
    this.append(h)
  }

  private append(e: ExecutionEvent): void {
    if (this.final !== undefined) return
    this.count(e)
    this.events.push(e)
    const readers = this.readers
    for (let i = 0; i < readers.length; i++) {
      const r = readers[i]!
      if (!r.waiting) r.pump()
    }
    if (this.events.length - this.results > COMPACT_SLACK && this.events.length > 2 * this.results) this.compact()
  }

  // ------------------------------------------------------------ reading

  /** Starts writing this log's events to `writer`: those after `options.after` at once (as room allows), then each as it is appended. */
  read(writer: LogWriter, options: ReadOptions = {}): LogReader {
    const reader = new Reader(this, writer, options.holdsExecution === true, options.onEnd)
    reader.next = this.indexAfter(options.after ?? -1)
    if (reader.holds) {
      if (this.holder !== undefined) throw new Error("a log has at most one reader that holds its execution")
      this.holder = reader
    }
    this.readers = [...this.readers, reader]
    reader.pump()
    return reader
  }

  /** @internal */
  detach(reader: Reader): void {
    this.readers = this.readers.filter((r) => r !== reader)
    if (this.holder === reader) {
      this.holder = undefined
      this.caughtUp()
    }
  }

  /** @internal The holding reader has written everything. */
  caughtUp(): void {
    if (this.final !== undefined && this.onFinalWritten !== undefined) {
      const done = this.onFinalWritten
      this.onFinalWritten = undefined
      done()
    }
    this.onCaughtUp?.()
  }

  /**
   * Drops the module and progress events that no reader holding the
   * execution still has to write (the newest progress count stays): what a
   * finished execution keeps is its results.
   */
  trim(): void {
    this.compact()
    // Ended: nothing is left to resume, and the execution need not be kept alive by its log.
    if (this.final !== undefined && (this.holder === undefined || !this.holder.behind)) this.onCaughtUp = undefined
  }

  /**
   * @internal The log of an execution nobody can read any more (a stream's
   * own, after its consumer ended): drops its events and callbacks, so what
   * still points at the log (see internal/execute.ts, `Wait`) does not keep
   * the execution's values.
   */
  release(): void {
    this.events = []
    this.held = undefined
    this.onCaughtUp = undefined
    this.onFinalWritten = undefined
  }

  /** The index of the first retained event with a `seq` above `seq`. */
  private indexAfter(seq: number): number {
    const events = this.events
    let lo = 0, hi = events.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (events[mid]!.seq <= seq) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /**
   * Drops the module and progress events the holding reader (or, without
   * one, every reader) has written, but the newest progress count; readers
   * keep their place by `seq`.
   */
  private compact(): void {
    const events = this.events
    let upTo = events.length
    if (this.holder !== undefined) upTo = this.holder.next
    let lastProgress = -1
    for (let i = upTo - 1; i >= 0; i--) {
      if (events[i]!._tag === "Progress") {
        lastProgress = i
        break
      }
    }
    const kept: Array<ExecutionEvent> = []
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!
      if (i >= upTo || i === lastProgress || isResult(e)) kept.push(e)
    }
    this.events = kept
    for (const r of this.readers) r.next = this.indexAfter(r.position)
  }
}
