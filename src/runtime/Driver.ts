/**
 * The driver of one execution, as plain callbacks: it feeds the bookkeeping
 * (ExecutionState), forks the modules that may suspend, and publishes
 * events to the sink in order, numbering them.
 *
 * No fiber of its own and no step per message: a module's completion is
 * handled in the callback that reports it, a trampoline (`pump`) keeps the
 * handling one at a time, and the execution's fiber waits in one
 * `Effect.async` until the end. Effects run only where something really
 * waits: module bodies, a sink that is full, and the tail that ends an
 * execution early (interrupting what runs, then the final event).
 *
 * The sink is the only backpressure point: while it is full nothing further
 * is handled, so no module starts and memory stays bounded. `progress`
 * counts that cannot be sent at once are coalesced (the newest wins); every
 * other event is delivered exactly once, in order.
 */
import { Cause, Duration, Effect, Exit } from "effect"
import type { Clock, Fiber, Runtime } from "effect"
import type { Value } from "../lang/value.js"
import type { RegisteredModule } from "../modules/ModuleRegistry.js"
import type { EventSink, ExecutionOptions } from "./Execution.js"
import type { ErrorInfo, ExecutionEvent } from "./ExecutionEvent.js"
import { ExecutionState } from "./ExecutionState.js"
import { Forks } from "./Forks.js"
import { errorOf, runModule } from "./moduleRun.js"
import type { Outcome } from "./moduleRun.js"
import type { Plan } from "./Plan.js"
import type { SchedulerShape } from "./Scheduler.js"

type Message =
  | { readonly _tag: "Stop"; readonly error: ErrorInfo }
  | { readonly _tag: "Retrying"; readonly j: number; readonly attempt: number; readonly delayMs: number; readonly error: ErrorInfo }
  | { readonly _tag: "Finished"; readonly j: number; readonly exit: Exit.Exit<Value, unknown> }
  | { readonly _tag: "PermitFree" }

/** The clock fibers use unless a `TestClock` or another clock replaces it. */
const liveClock: Clock.Clock = Effect.runSync(Effect.clock)

/** setTimeout's longest delay; a longer deadline waits on the clock in a fiber. */
const MAX_TIMER_MS = 2 ** 31 - 1

const isErrorInfo = (u: unknown): u is ErrorInfo =>
  typeof u === "object" && u !== null && typeof (u as { code?: unknown }).code === "string" &&
  typeof (u as { message?: unknown }).message === "string"

/** Why an aborted signal stopped an execution. */
const abortError = (reason: unknown): ErrorInfo =>
  isErrorInfo(reason)
    ? { code: reason.code, message: reason.message, module: typeof reason.module === "string" ? reason.module : null }
    : { code: "cancelled", message: "the execution was cancelled", module: null }

const deadlineError = (d: Duration.Duration): ErrorInfo => ({
  code: "deadline_exceeded",
  message: `the execution did not finish within its deadline of ${Duration.format(d)}`,
  module: null
})

/** Options that need the attempt loop (and so a fiber) whatever the implementation. */
const needsAttemptLoop = (o: Plan["modules"][number]["options"]): boolean =>
  (o.retry ?? 0) > 0 || o.timeoutMs !== undefined

export class Driver {
  private readonly state: ExecutionState
  private readonly impls: ReadonlyArray<RegisteredModule | undefined>
  private readonly forked: ReadonlyArray<boolean>
  /** Forked fibers still running: modules, a blocked offer, watchers under a test clock. */
  private readonly children: Forks
  private readonly defects: Array<readonly [string, unknown]> = []
  private readonly inbox: Array<Message> = []
  private inboxHead = 0
  /** In `pump`: messages posted meanwhile wait for its loop. */
  private draining = false
  /** An offer to a full sink is in progress. */
  private blocked = false
  /** Resumed: nothing more is handled. */
  private done = false
  // Publishing
  private seq = 0
  private held: ExecutionEvent | undefined
  private backlog: Array<ExecutionEvent> = []
  private backlogHead = 0
  /** Names of the outputs published so far. */
  private readonly emitted: Array<string> = []
  // Launching as permits allow: the execution's own bound, then the engine's.
  private readonly maxOwn: number
  private waiting: Array<number> = []
  private waitingHead = 0
  private cancelWait: (() => void) | undefined
  /** Permits the scheduler handed over while this driver waited, not used yet. */
  private granted = 0
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined
  private removeAbortListener: (() => void) | undefined

  constructor(
    private readonly plan: Plan,
    lookup: (name: string) => RegisteredModule | undefined,
    private readonly sink: EventSink,
    private readonly options: ExecutionOptions & { readonly executionId: string },
    private readonly scheduler: SchedulerShape,
    private readonly clock: Clock.Clock,
    runtime: Runtime.Runtime<never>,
    /** Ends the execution's wait; called once. */
    private readonly resume: (tail: Effect.Effect<void>) => void
  ) {
    this.children = new Forks(runtime)
    this.impls = plan.modules.map((m) => lookup(m.module))
    this.forked = plan.modules.map((m, j) => this.impls[j] !== undefined && needsAttemptLoop(m.options))
    this.maxOwn = options.concurrency ?? Number.POSITIVE_INFINITY
    this.state = new ExecutionState(plan, this.impls, this.forked, {
      executionId: options.executionId,
      progress: options.progress === true,
      now: () => clock.unsafeCurrentTimeMillis(),
      onModuleFinished: scheduler.moduleFinished,
      onDefect: (where, defect) => void this.defects.push([where, defect]),
      maxValueBytes: options.maxValueBytes
    })
  }

  /** Gives the inputs their values and runs what is ready. */
  start(inputs: Readonly<Record<string, Value>>): void {
    this.guard(() => {
      this.state.start(inputs)
      if (!this.state.finished) this.watchStops()
    })
    this.pump()
  }

  /** The execution's fiber was interrupted: stop everything, and wait for the fibers to end. */
  readonly interrupt = (): Effect.Effect<void> => {
    this.done = true
    this.release()
    return this.interruptChildren
  }

  // ------------------------------------------------------------ fibers

  private fork<A, E>(effect: Effect.Effect<A, E>): Fiber.RuntimeFiber<A, E> {
    return this.children.fork(effect)
  }

  private get interruptChildren(): Effect.Effect<void> {
    return this.children.interruptAll
  }

  /** No timer, listener, waiting registration or spare permit outlives the driver. */
  private release(): void {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer)
    this.deadlineTimer = undefined
    this.removeAbortListener?.()
    this.removeAbortListener = undefined
    this.cancelWait?.()
    this.cancelWait = undefined
    this.returnPermits()
  }

  // ------------------------------------------------------------ messages

  private readonly post = (m: Message): void => {
    if (this.done) return
    this.inbox.push(m)
    this.pump()
  }

  /** Runs `f`; an exception is a bug of the engine, which still ends the execution with a final event. */
  private guard(f: () => void): void {
    try {
      f()
    } catch (defect) {
      this.end(Effect.zipRight(
        Effect.logError("execution driver failed", Cause.die(defect)),
        this.endEarly({ code: "internal_error", message: "the engine failed; the details are in the server log", module: null })
      ))
    }
  }

  /** Handles what is ready, one message at a time, until it must wait. */
  private pump(): void {
    if (this.draining || this.blocked || this.done) return
    this.draining = true
    this.guard(() => this.loop())
    this.draining = false
  }

  private loop(): void {
    const state = this.state
    while (!this.done) {
      this.launchReady()
      if (!this.flush()) return
      if (this.defects.length > 0) this.logDefects()
      if (state.finished) return this.end(this.interruptChildren)
      if (this.inboxHead === this.inbox.length) {
        this.inbox.length = this.inboxHead = 0
        if (this.held !== undefined) {
          if (!this.flushHeld()) return
          continue
        }
        if (state.inFlight === 0 && this.cancelWait === undefined && this.granted === 0) {
          return this.end(this.endEarly({ code: "internal_error", message: "the execution stopped making progress", module: null }))
        }
        return
      }
      // One message at a time, publishing after each: while the sink is
      // full, no further completion is handled and no module starts.
      const m = this.inbox[this.inboxHead++]!
      switch (m._tag) {
        case "Retrying":
          state.moduleRetrying(m.j, m.attempt, m.delayMs, m.error)
          break
        case "Finished":
          state.moduleFinished(m.j, this.outcomeOf(this.plan.modules[m.j]!.module, m.exit))
          break
        case "PermitFree":
          break
        case "Stop":
          return this.end(this.endEarly(m.error))
      }
    }
  }

  private end(tail: Effect.Effect<void>): void {
    if (this.done) return
    this.done = true
    this.release()
    this.resume(Effect.ensuring(tail, this.interruptChildren))
  }

  private outcomeOf(module: string, exit: Exit.Exit<Value, unknown>): Outcome {
    if (Exit.isSuccess(exit)) return { value: exit.value }
    if (Cause.failureOption(exit.cause)._tag === "None") this.defects.push([module, exit.cause])
    return { error: errorOf(module, exit.cause) }
  }

  private logDefects(): void {
    const defects = this.defects.splice(0)
    // A defect that throws when printed (hostile getters) must not take the driver down with it.
    this.fork(Effect.forEach(defects, ([where, defect]) =>
      Effect.catchAllDefect(
        Effect.logError(`${where} crashed`, defect),
        () => Effect.logError(`${where} crashed with a value that cannot be printed`)
      ), { discard: true }))
  }

  // ------------------------------------------------------------ stops

  /** What can end the execution early. On the live clock a deadline is a timer; under another clock it sleeps on that clock in a fiber. */
  private watchStops(): void {
    const { deadline, stop, signal } = this.options
    if (deadline !== undefined) {
      const d = Duration.decode(deadline)
      const ms = Duration.toMillis(d)
      if (this.clock === liveClock && ms <= MAX_TIMER_MS) {
        this.deadlineTimer = setTimeout(() => this.post({ _tag: "Stop", error: deadlineError(d) }), ms)
      } else if (Duration.isFinite(d)) {
        this.fork(Effect.andThen(Effect.sleep(d), () => this.post({ _tag: "Stop", error: deadlineError(d) })))
      }
    }
    if (stop !== undefined) this.fork(Effect.andThen(stop, (error) => this.post({ _tag: "Stop", error })))
    if (signal !== undefined) {
      const onAbort = () => this.post({ _tag: "Stop", error: abortError(signal.reason) })
      if (signal.aborted) return onAbort()
      signal.addEventListener("abort", onAbort, { once: true })
      this.removeAbortListener = () => signal.removeEventListener("abort", onAbort)
    }
  }

  // ------------------------------------------------------------ launching

  private launchReady(): void {
    const state = this.state
    if (state.toFork.length > 0) for (const j of state.takeToFork()) this.waiting.push(j)
    while (this.waitingHead < this.waiting.length && state.inFlight < this.maxOwn) {
      if (this.granted > 0) this.granted--
      else if (!this.scheduler.tryAcquire()) {
        // Woken from another execution's callback: handled in a microtask, so a chain of hand-overs never nests.
        this.cancelWait ??= this.scheduler.whenAvailable(() => {
          this.cancelWait = undefined
          this.granted++
          queueMicrotask(() => this.post({ _tag: "PermitFree" }))
        })
        break
      }
      this.launch(this.waiting[this.waitingHead++]!)
    }
    if (this.waitingHead === this.waiting.length) this.waiting.length = this.waitingHead = 0
    this.returnPermits()
  }

  /** A handed-over permit this driver has no module for goes on to the next waiter. */
  private returnPermits(): void {
    while (this.granted > 0 && (this.done || this.waitingHead === this.waiting.length)) {
      this.granted--
      this.scheduler.giveBack()
    }
  }

  private launch(j: number): void {
    const state = this.state
    const node = this.plan.modules[j]!
    const effect = this.forked[j] === true
      ? runModule(this.impls[j]!, state.values, node, {
        retrying: (attempt, delayMs, error) => this.post({ _tag: "Retrying", j, attempt, delayMs, error })
      })
      : state.takePending(j)!
    state.inFlight++
    state.moduleStarted(j)
    this.fork(effect).addObserver((exit) => {
      const interrupted = Exit.isInterrupted(exit)
      this.scheduler.release(interrupted)
      if (!interrupted) this.post({ _tag: "Finished", j, exit })
    })
  }

  // ------------------------------------------------------------ publishing

  private numbered(e: ExecutionEvent): ExecutionEvent {
    ;(e as { seq: number }).seq = this.seq
    return e
  }

  private sent(e: ExecutionEvent): void {
    this.seq++
    if (e._tag === "Output" || e._tag === "OutputFailed") this.emitted.push(e.name)
  }

  /** Offers `e` now, or starts waiting for room (and returns false). */
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
        this.pump()
      }
    })
    // Room may have been made at once (the observer ran already): go on.
    return !this.blocked
  }

  private flushHeld(): boolean {
    const h = this.held
    if (h === undefined) return true
    this.held = undefined
    return this.offer(h)
  }

  /** Publishes the events collected so far; false when it had to wait for room. */
  private flush(): boolean {
    const fresh = this.state.takeEvents()
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
      if (!this.flushHeld()) {
        this.backlogHead--
        return false
      }
      if (!this.offer(e)) return false
    }
    return true
  }

  /** Ends the execution before its last output, with a final error event naming the outputs that never arrived. */
  private endEarly(error: ErrorInfo): Effect.Effect<void> {
    return Effect.suspend(() => {
      const sentNames = new Set(this.emitted)
      const missing = this.plan.dag.outputs.map((o) => o.name).filter((n) => !sentNames.has(n))
      const final: ExecutionEvent = {
        _tag: "ExecutionFailed",
        executionId: this.options.executionId,
        seq: -1,
        timestamp: this.clock.unsafeCurrentTimeMillis(),
        error,
        missing,
        isFinal: true
      }
      const held = this.held
      this.held = undefined
      const offer = (e: ExecutionEvent) => Effect.suspend(() => this.sink.offer(this.numbered(e))).pipe(Effect.tap(() => this.sent(e)))
      return Effect.zipRight(
        this.interruptChildren,
        Effect.zipRight(held === undefined ? Effect.void : offer(held), offer(final))
      )
    })
  }
}
