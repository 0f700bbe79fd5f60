/**
 * The driver of one execution, as plain callbacks: it feeds the bookkeeping
 * (ExecutionState), forks the modules that may suspend as permits allow,
 * and appends the events to the execution's log (ExecutionLog); what can
 * end it early is watched by stops.ts.
 *
 * No fiber of its own and no step per message: a module's completion is
 * handled in the callback that reports it, a trampoline (`pump`) keeps the
 * handling one at a time, and the execution's fiber waits in one
 * `Effect.async` until the end. Effects run only where something really
 * waits: module bodies, a sink that is full, and the tail that ends an
 * execution early (interrupting what runs, then the final event).
 *
 * The log's holding reader is the only backpressure point: while it has
 * events not yet written nothing further is handled, so no module starts
 * and memory stays bounded.
 */
import { Cause, Effect, Exit } from "effect"
import type { Clock, Runtime } from "effect"
import type { Value } from "../../lang/value.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import type { ExecutionOptions } from "../Execution.js"
import type { ErrorInfo } from "../ExecutionEvent.js"
import type { ExecutionLog } from "../ExecutionLog.js"
import { ExecutionState, STARTED } from "./ExecutionState.js"
import { Forks } from "./Forks.js"
import { errorOf, runModule } from "./moduleRun.js"
import { isTraced, traceAttempt } from "./moduleSpans.js"
import { isDone, runInline } from "./runInline.js"
import type { Outcome } from "./moduleRun.js"
import type { RunResult } from "./ElementRun.js"
import type { Plan } from "./Plan.js"
import type { SchedulerShape } from "../Scheduler.js"
import { DEFAULT_PRIORITY } from "../Scheduler.js"
import { watchStops } from "./stops.js"
import { resolvedOf } from "./resolvedModules.js"
import type { CallLimitsShape } from "../CallLimits.js"
import type { ModuleCacheShape } from "../ModuleCache.js"

type Message =
  | { readonly _tag: "Stop"; readonly error: ErrorInfo }
  | { readonly _tag: "Retrying"; readonly j: number; readonly attempt: number; readonly delayMs: number; readonly error: ErrorInfo }
  | { readonly _tag: "Finished"; readonly j: number; readonly exit: Exit.Exit<Value, unknown> }
  | { readonly _tag: "PermitFree" }
  | { readonly _tag: "CallStarted"; readonly j: number }
  | { readonly _tag: "InlineFinished"; readonly d: number; readonly exit: Exit.Exit<RunResult> }

/** The engine's services an execution uses besides its scheduler. */
export interface CallServices {
  readonly cache: ModuleCacheShape
  readonly limits: CallLimitsShape
}

export class Driver {
  private readonly state: ExecutionState
  private readonly impls: ReadonlyArray<RegisteredModule | undefined>
  private readonly forked: ReadonlyArray<boolean>
  /** Forked fibers still running: modules, watchers under a test clock. */
  private readonly children: Forks
  private readonly defects: Array<readonly [string, unknown]> = []
  private readonly inbox: Array<Message> = []
  private inboxHead = 0
  /** In `pump`: messages posted meanwhile wait for its loop. */
  private draining = false
  /** Resumed: nothing more is handled. */
  private done = false
  // Launching as permits allow: the execution's own bound, then the engine's.
  private readonly maxOwn: number
  private waiting: Array<number> = []
  private waitingHead = 0
  /** Each module's priority (`with priority`), when some module has one: `waiting` is kept in priority order. */
  private readonly priorities: Int32Array | undefined
  /** The priority this driver waits for a permit with, and since when. */
  private waitPriority = DEFAULT_PRIORITY
  private waitSince = 0
  private cancelWait: (() => void) | undefined
  /** Permits the scheduler handed over while this driver waited, not used yet. */
  private granted = 0
  /** Stops watching the deadline and the signal. */
  private unwatchStops: (() => void) | undefined
  /** Run under a span: each forked module attempt gets one (moduleSpans.ts). */
  private readonly traced: boolean

  constructor(
    private readonly plan: Plan,
    lookup: (name: string) => RegisteredModule | undefined,
    private readonly log: ExecutionLog,
    private readonly options: ExecutionOptions & { readonly executionId: string },
    private readonly scheduler: SchedulerShape,
    private readonly services: CallServices,
    private readonly clock: Clock.Clock,
    runtime: Runtime.Runtime<never>,
    /** Ends the execution's wait; called once. */
    private readonly resume: (tail: Effect.Effect<void>) => void
  ) {
    this.children = new Forks(runtime)
    this.traced = isTraced(runtime)
    // Through a local: V8 allocates a function literal assigned straight to a property in the
    // old generation (test/architecture/pretenuredClosures.test.ts), where, dead, it would keep the execution alive
    // through every minor collection until the next major one.
    const pump = () => this.pump()
    log.onCaughtUp = pump
    const resolved = resolvedOf(plan, lookup)
    this.impls = resolved.impls
    this.forked = resolved.forked
    this.maxOwn = options.concurrency ?? Number.POSITIVE_INFINITY
    this.priorities = plan.modules.some((m) => m.options.priority !== undefined)
      ? Int32Array.from(plan.modules, (m) => m.options.priority ?? DEFAULT_PRIORITY)
      : undefined
    this.state = new ExecutionState(plan, resolved, {
      executionId: options.executionId,
      progress: options.progress === true,
      now: () => clock.unsafeCurrentTimeMillis(),
      onModuleFinished: scheduler.moduleFinished,
      onDefect: (where, defect) => void this.defects.push([where, defect]),
      maxValueBytes: options.maxValueBytes,
      cache: services.cache,
      runNow: (j, effect) => this.runNow(j, effect),
      onLoggedFailure: (module, error) =>
        void this.children.fork(Effect.logWarning(`${module} failed (${error.code}: ${error.message}); on_error: log gave its zero value`))
    })
  }

  /** Gives the inputs their values and runs what is ready. */
  start(inputs: Readonly<Record<string, Value>>): void {
    this.guard(() => {
      this.state.start(inputs)
      if (!this.state.finished) {
        this.unwatchStops = watchStops(this.options, this.clock, (watcher) => void this.children.fork(watcher), (error) =>
          this.post({ _tag: "Stop", error }))
      }
    })
    this.pump()
  }

  /** The execution's fiber was interrupted: stop everything, and wait for the fibers to end. */
  readonly interrupt = (): Effect.Effect<void> => {
    this.done = true
    this.release()
    return this.children.interruptAll
  }

  /** No timer, listener, waiting registration or spare permit outlives the driver. */
  private release(): void {
    this.unwatchStops?.()
    this.unwatchStops = undefined
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
    if (this.draining || this.log.blocked || this.done) return
    this.draining = true
    this.guard(() => this.loop())
    this.draining = false
  }

  private loop(): void {
    const state = this.state
    while (!this.done) {
      this.launchReady()
      if (!this.log.publishOwned(state.takeEvents())) return
      if (this.defects.length > 0) this.logDefects()
      if (state.finished) return this.end(Effect.void)
      if (this.inboxHead === this.inbox.length) {
        this.inbox.length = this.inboxHead = 0
        if (this.log.holding) {
          if (!this.log.flushHeld()) return
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
        case "CallStarted":
          state.callStarted(m.j)
          break
        case "InlineFinished":
          state.inlineFinished(m.d, Exit.isSuccess(m.exit) ? m.exit.value : this.runFailure(m.exit.cause))
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
    // With no fiber left (an execution that never suspended), nothing needs interrupting after the tail.
    this.resume(this.children.idle ? tail : Effect.ensuring(tail, this.children.interruptAll))
  }

  private outcomeOf(module: string, exit: Exit.Exit<Value, unknown>): Outcome {
    if (Exit.isSuccess(exit)) return { value: exit.value }
    if (Cause.failureOption(exit.cause)._tag === "None") this.defects.push([module, exit.cause])
    return { error: errorOf(module, exit.cause) }
  }

  private logDefects(): void {
    const defects = this.defects.splice(0)
    // A defect that throws when printed (hostile getters) must not take the driver down with it.
    this.children.fork(Effect.forEach(defects, ([where, defect]) =>
      Effect.catchAllDefect(
        Effect.logError(`${where} crashed`, defect),
        () => Effect.logError(`${where} crashed with a value that cannot be printed`)
      ), { discard: true }))
  }

  // ------------------------------------------------------------ launching

  private launchReady(): void {
    const state = this.state
    if (state.toFork.length > 0) for (const j of state.takeToFork()) this.enqueue(j)
    if (state.toRunInline.length > 0) this.launchRuns()
    while (this.waitingHead < this.waiting.length && state.inFlight < this.maxOwn) {
      if (this.granted > 0) this.granted--
      else if (!this.scheduler.tryAcquire()) {
        this.waitForPermit()
        break
      }
      this.launch(this.waiting[this.waitingHead++]!)
    }
    if (this.waitingHead === this.waiting.length) this.waiting.length = this.waitingHead = 0
    this.returnPermits()
  }

  /** Adds a ready module to those waiting to launch: in priority order (FIFO within one) when priorities are given. */
  private enqueue(j: number): void {
    const priorities = this.priorities
    const waiting = this.waiting
    if (priorities === undefined) return void waiting.push(j)
    const p = priorities[j]!
    let i = waiting.length
    while (i > this.waitingHead && priorities[waiting[i - 1]!]! < p) i--
    waiting.splice(i, 0, j)
  }

  /**
   * Waits for the scheduler's next permit, with the priority of the first
   * module waiting; waiting again when a module of higher priority arrived.
   */
  private waitForPermit(): void {
    const head = this.priorities === undefined ? DEFAULT_PRIORITY : this.priorities[this.waiting[this.waitingHead]!]!
    if (this.cancelWait !== undefined) {
      if (head <= this.waitPriority) return
      this.cancelWait()
    } else this.waitSince = this.clock.unsafeCurrentTimeMillis()
    this.waitPriority = head
    // Woken from another execution's callback: handled in a microtask, so a chain of hand-overs never nests.
    this.cancelWait = this.scheduler.whenAvailable(() => {
      this.cancelWait = undefined
      this.granted++
      queueMicrotask(() => this.post({ _tag: "PermitFree" }))
    }, head, this.waitSince)
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
    const effect = this.traced
      ? this.tracedAttempts(j)
      : this.forked[j] === true
      ? runModule(this.impls[j]!, state.values, node, {
        retrying: (attempt, delayMs, error) => this.post({ _tag: "Retrying", j, attempt, delayMs, error }),
        limits: this.services.limits
      })
      : state.takePending(j)!
    state.inFlight++
    state.moduleStarted(j)
    // What does not suspend runs here, on this stack; a fiber takes over where it would wait (runInline.ts).
    const inline = this.traced ? effect : runInline(effect)
    if (isDone(inline)) return this.finished(j, inline)
    this.children.fork(inline).addObserver((exit) => this.finished(j, exit))
  }

  /**
   * Runs a ready Effect module at once, as a sync module runs, when it may
   * take a permit now and no module waits for one before it (`launch`
   * otherwise, in its turn): on this stack until it suspends, then in a
   * fiber of its own holding the permit.
   */
  private runNow(j: number, effect: Effect.Effect<Value, unknown>): Exit.Exit<Value, unknown> | typeof STARTED | undefined {
    const state = this.state
    if (this.traced || this.priorities !== undefined || this.waitingHead < this.waiting.length || state.inFlight >= this.maxOwn) {
      return undefined
    }
    if (this.granted > 0) this.granted--
    else if (!this.scheduler.tryAcquire()) return undefined
    const inline = runInline(effect)
    if (isDone(inline)) {
      this.scheduler.release(false)
      return inline
    }
    state.inFlight++
    state.moduleStarted(j)
    this.children.fork(inline).addObserver((exit) => this.finished(j, exit))
    return STARTED
  }

  private finished(j: number, exit: Exit.Exit<Value, unknown>): void {
    const interrupted = Exit.isInterrupted(exit)
    this.scheduler.release(interrupted)
    if (!interrupted) this.post({ _tag: "Finished", j, exit })
  }

  /**
   * Forks the runs of inline nodes whose calls per element wait
   * (ElementRun.ts). A run holds no permit: each of its calls takes one
   * while it runs.
   */
  private launchRuns(): void {
    const state = this.state
    for (const d of state.toRunInline.splice(0)) {
      const effect = state.elementEffect(d, {
        scheduler: this.scheduler,
        limits: this.services.limits,
        traced: this.traced,
        maxOwn: this.maxOwn,
        started: (j) => this.post({ _tag: "CallStarted", j }),
        retrying: (j, attempt, delayMs, error) => this.post({ _tag: "Retrying", j, attempt, delayMs, error })
      })
      state.inFlight++
      this.children.fork(effect).addObserver((exit) => {
        if (!Exit.isInterrupted(exit)) this.post({ _tag: "InlineFinished", d, exit })
      })
    }
  }

  /** A run that died (a bug of the engine): its node fails with an internal error, logged. */
  private runFailure(cause: Cause.Cause<unknown>): RunResult {
    this.defects.push(["expression", cause])
    return { _tag: "Failed", error: { code: "internal_error", message: "the engine failed; the details are in the server log", module: null } }
  }

  /** Module `j`'s attempts, each in a span (moduleSpans.ts). */
  private tracedAttempts(j: number): Effect.Effect<Value, unknown> {
    const node = this.plan.modules[j]!
    const fallback = node.options.fallback !== undefined
    if (this.forked[j] !== true) {
      return traceAttempt(this.state.takePending(j)!, node.module, { node: j, attempt: 1, last: true, fallback })
    }
    return runModule(this.impls[j]!, this.state.values, node, {
      retrying: (attempt, delayMs, error) => this.post({ _tag: "Retrying", j, attempt, delayMs, error }),
      around: (e, attempt, last) => traceAttempt(e, node.module, { node: j, attempt, last, fallback }),
      limits: this.services.limits
    })
  }

  /** Ends the execution before its last output, with a final error event naming the outputs that never arrived. */
  private endEarly(error: ErrorInfo): Effect.Effect<void> {
    return Effect.zipRight(this.children.interruptAll, this.log.finish(error))
  }
}
