/**
 * The one place an execution's events leave from: in order, numbered, each
 * exactly once, to a sink that may be full. `progress` counts that cannot
 * be sent at once are coalesced (the newest is held and replaces older
 * ones); every other event waits for room, and while it waits the driver
 * handles nothing further (the sink is the execution's only backpressure).
 */
import { Effect, Exit } from "effect"
import type { Fiber } from "effect"
import type { EventSink } from "./Execution.js"
import type { ExecutionEvent } from "./ExecutionEvent.js"

export class Publisher {
  private seq = 0
  /** The newest progress count not sent yet. */
  private held: ExecutionEvent | undefined
  /** Events collected and not published yet, from `backlogHead` on. */
  private backlog: Array<ExecutionEvent> = []
  private backlogHead = 0
  /** Names of the outputs published so far (values and failures). */
  private readonly emitted = new Set<string>()
  /** An offer to a full sink is in progress: publish nothing until it ends. */
  blocked = false

  constructor(
    private readonly sink: EventSink,
    /** Runs the wait for room (a fiber the driver owns and interrupts when it ends). */
    private readonly fork: <A, E>(effect: Effect.Effect<A, E>) => Fiber.RuntimeFiber<A, E>,
    /** Called when a wait for room has ended and publishing may go on. */
    private readonly resumed: () => void
  ) {}

  /** Whether a progress count is held back. */
  get holding(): boolean {
    return this.held !== undefined
  }

  /** Whether the output was published (its value or its failure). */
  published(name: string): boolean {
    return this.emitted.has(name)
  }

  /** Publishes `fresh` after what is left from before; false when it must wait for room (`resumed` follows). */
  publish(fresh: Array<ExecutionEvent>): boolean {
    if (fresh.length > 0) {
      if (this.backlogHead === this.backlog.length) {
        this.backlog = fresh
        this.backlogHead = 0
      } else for (const e of fresh) this.backlog.push(e)
    }
    const backlog = this.backlog
    while (this.backlogHead < backlog.length) {
      const e = backlog[this.backlogHead++]!
      if (e._tag === "Progress") {
        if (this.held === undefined && this.sink.unsafeOffer(this.numbered(e))) this.sent(e)
        else this.held = e
        continue
      }
      // What is held is older than `e`: it goes first.
      if (!this.flushHeld()) {
        this.backlogHead--
        return false
      }
      if (!this.offer(e)) return false
    }
    return true
  }

  /** Sends the held progress count, if any; false when it must wait for room. */
  flushHeld(): boolean {
    const h = this.held
    if (h === undefined) return true
    this.held = undefined
    return this.offer(h)
  }

  /** The end of an execution stopped early: the held progress count, then `final`, each waiting for room. */
  finish(final: ExecutionEvent): Effect.Effect<void> {
    return Effect.suspend(() => {
      const held = this.held
      this.held = undefined
      const offer = (e: ExecutionEvent) => Effect.suspend(() => this.sink.offer(this.numbered(e))).pipe(Effect.tap(() => this.sent(e)))
      return Effect.zipRight(held === undefined ? Effect.void : offer(held), offer(final))
    })
  }

  private numbered(e: ExecutionEvent): ExecutionEvent {
    ;(e as { seq: number }).seq = this.seq
    return e
  }

  private sent(e: ExecutionEvent): void {
    this.seq++
    if (e._tag === "Output" || e._tag === "OutputFailed") this.emitted.add(e.name)
  }

  /** Offers `e` now, or starts waiting for room and returns false. */
  private offer(e: ExecutionEvent): boolean {
    if (this.sink.unsafeOffer(this.numbered(e))) {
      this.sent(e)
      return true
    }
    this.blocked = true
    this.fork(this.sink.offer(e)).addObserver((exit) => {
      this.blocked = false
      if (Exit.isSuccess(exit)) {
        this.sent(e)
        this.resumed()
      }
    })
    // Room may have been made at once (the observer ran already): go on.
    return !this.blocked
  }
}
