/**
 * The driver of one execution: it feeds the bookkeeping (ExecutionState),
 * forks the modules that may suspend into a FiberSet owned by the caller's
 * scope, and publishes events to a sink in order, numbering them.
 *
 * The sink is the only backpressure point: when it is full the driver waits,
 * so no new module starts and memory stays bounded. `progress` counts that
 * cannot be sent at once are coalesced (the newest wins); every other event
 * is delivered exactly once, in order.
 */
import { Cause, Duration, Effect, Exit, FiberSet } from "effect"
import type { Fiber } from "effect"
import type { Scope } from "effect"
import type { Value } from "../lang/value.js"
import type { RegisteredModule } from "../modules/ModuleRegistry.js"
import type { ErrorInfo, ExecutionEvent } from "./ExecutionEvent.js"
import { ExecutionState } from "./ExecutionState.js"
import { errorOf, runModule } from "./moduleRun.js"
import type { Outcome } from "./moduleRun.js"
import type { Plan } from "./Plan.js"
import { Scheduler } from "./Scheduler.js"

/** Where events go: the streaming queue, or the batch collector. */
export interface EventSink {
  /** Accepts the event now, or returns false when full. */
  readonly unsafeOffer: (event: ExecutionEvent) => boolean
  /** Waits until the event is accepted. */
  readonly offer: (event: ExecutionEvent) => Effect.Effect<void>
}

export interface ExecutionOptions {
  /** The execution's id (a random UUID by default). */
  readonly executionId?: string | undefined
  /** Emit module and progress events as well as outputs (default false). */
  readonly progress?: boolean | undefined
  /** At most this many of this execution's module bodies run at once (default: no per-execution bound). */
  readonly concurrency?: number | undefined
  /** Ends the execution with `deadline_exceeded` when it runs longer. */
  readonly deadline?: Duration.DurationInput | undefined
  /** Ends the execution with the given error when this effect completes (a server shutting down). */
  readonly stop?: Effect.Effect<ErrorInfo> | undefined
  /** A value larger than this many bytes (as JSON, estimated) fails with `value_too_large` (default: no bound). */
  readonly maxValueBytes?: number | undefined
}

type Message =
  | { readonly _tag: "Stop"; readonly error: ErrorInfo }
  | { readonly _tag: "Retrying"; readonly j: number; readonly attempt: number; readonly delayMs: number; readonly error: ErrorInfo }
  | { readonly _tag: "Finished"; readonly j: number; readonly exit: Exit.Exit<Value, unknown> }
  | { readonly _tag: "PermitFree" }

/** Options that need the attempt loop (and so a fiber) whatever the implementation. */
const needsAttemptLoop = (o: Plan["modules"][number]["options"]): boolean =>
  (o.retry ?? 0) > 0 || o.timeoutMs !== undefined

/**
 * Runs an execution to its final event. The caller's scope owns every fiber
 * it forks: closing the scope interrupts them all.
 */
export const execute = (
  plan: Plan,
  lookup: (name: string) => RegisteredModule | undefined,
  inputs: Readonly<Record<string, Value>>,
  sink: EventSink,
  options: ExecutionOptions & { readonly executionId: string }
): Effect.Effect<void, never, Scheduler | Scope.Scope> =>
  Effect.gen(function*() {
    const scheduler = yield* Scheduler
    const clock = yield* Effect.clock
    // The fibers of this execution (modules that suspend, deadline and stop
    // watchers) live in a FiberSet of the caller's scope, made on first need:
    // an execution of modules that never suspend forks nothing.
    let fibers: FiberSet.FiberSet<unknown, unknown> | undefined
    let runFork: (<A, E>(effect: Effect.Effect<A, E>) => Fiber.RuntimeFiber<A, E>) | undefined
    const forker = Effect.suspend(() =>
      runFork !== undefined ? Effect.void : Effect.gen(function*() {
        fibers = yield* FiberSet.make<unknown, unknown>()
        runFork = yield* FiberSet.runtime(fibers)<never>()
      })
    )
    const impls = plan.modules.map((m) => lookup(m.module))
    const forked = plan.modules.map((m, j) => impls[j] !== undefined && needsAttemptLoop(m.options))
    const defects: Array<readonly [string, unknown]> = []
    const state = new ExecutionState(plan, impls, forked, {
      executionId: options.executionId,
      progress: options.progress === true,
      now: () => clock.unsafeCurrentTimeMillis(),
      onModuleFinished: scheduler.moduleFinished,
      onDefect: (where, defect) => void defects.push([where, defect]),
      maxValueBytes: options.maxValueBytes
    })

    const outcomeOf = (module: string, exit: Exit.Exit<Value, unknown>): Outcome => {
      if (Exit.isSuccess(exit)) return { value: exit.value }
      if (Cause.failureOption(exit.cause)._tag === "None") defects.push([module, exit.cause])
      return { error: errorOf(module, exit.cause) }
    }

    // Messages from module fibers, and the driver's wake-up.
    const inbox: Array<Message> = []
    let wake: ((_: Effect.Effect<void>) => void) | undefined
    const post = (m: Message) => {
      inbox.push(m)
      if (wake !== undefined) {
        const w = wake
        wake = undefined
        w(Effect.void)
      }
    }
    const idle = Effect.async<void>((resume) => {
      wake = resume
      return Effect.sync(() => void (wake = undefined))
    })

    // Publishing, in order, with sequence numbers.
    let seq = 0
    let held: ExecutionEvent | undefined
    /** Names of the outputs published so far, in order. */
    const emitted: Array<string> = []
    // Events are made by the bookkeeping and numbered here, the one place that knows what was sent.
    const numbered = (e: ExecutionEvent): ExecutionEvent => {
      ;(e as { seq: number }).seq = seq
      return e
    }
    const sent = (e: ExecutionEvent) => {
      seq++
      if (e._tag === "Output" || e._tag === "OutputFailed") emitted.push(e.name)
    }
    const offerBlocking = (e: ExecutionEvent) => Effect.suspend(() => sink.offer(numbered(e))).pipe(Effect.tap(() => sent(e)))
    const flushHeld = Effect.suspend(() => {
      const h = held
      if (h === undefined) return Effect.void
      held = undefined
      return sink.unsafeOffer(numbered(h)) ? Effect.sync(() => sent(h)) : offerBlocking(h)
    })
    const flush = Effect.gen(function*() {
      for (const e of state.takeEvents()) {
        if (e._tag === "Progress") {
          if (held === undefined && sink.unsafeOffer(numbered(e))) sent(e)
          else held = e
          continue
        }
        if (held !== undefined) yield* flushHeld
        if (sink.unsafeOffer(numbered(e))) sent(e)
        else yield* offerBlocking(e)
      }
    })

    // Launching module fibers as permits allow: the execution's own bound,
    // then the engine's. A module waiting here holds no permit.
    const maxOwn = options.concurrency ?? Number.POSITIVE_INFINITY
    const waiting: Array<number> = []
    let waitingHead = 0
    let cancelWait: (() => void) | undefined
    const launch = (j: number) => {
      const node = plan.modules[j]!
      const impl = impls[j]!
      const effect = forked[j] === true
        ? runModule(impl, state.values, node, {
          retrying: (attempt, delayMs, error) => post({ _tag: "Retrying", j, attempt, delayMs, error })
        })
        : state.takePending(j)!
      state.inFlight++
      state.moduleStarted(j)
      const fiber = runFork!(effect)
      fiber.addObserver((exit) => {
        const interrupted = Exit.isInterrupted(exit)
        scheduler.release(interrupted)
        if (!interrupted) post({ _tag: "Finished", j, exit })
      })
    }
    const launchReady = () => {
      for (const j of state.takeToFork()) waiting.push(j)
      while (waitingHead < waiting.length && state.inFlight < maxOwn) {
        if (!scheduler.tryAcquire()) {
          cancelWait ??= scheduler.whenAvailable(() => {
            cancelWait = undefined
            post({ _tag: "PermitFree" })
          })
          break
        }
        launch(waiting[waitingHead++]!)
      }
      if (waitingHead === waiting.length) waiting.length = waitingHead = 0
    }
    yield* Effect.addFinalizer(() => Effect.sync(() => cancelWait?.()))

    const stops: Array<Effect.Effect<ErrorInfo>> = []
    if (options.deadline !== undefined) {
      const d = Duration.decode(options.deadline)
      stops.push(Effect.as(Effect.sleep(d), {
        code: "deadline_exceeded",
        message: `the execution did not finish within its deadline of ${Duration.format(d)}`,
        module: null
      }))
    }
    if (options.stop !== undefined) stops.push(options.stop)
    const run = Effect.gen(function*() {
      state.start(inputs)
      if (stops.length > 0 && !state.finished) {
        yield* forker
        for (const stop of stops) runFork!(Effect.flatMap(stop, (error) => Effect.sync(() => post({ _tag: "Stop", error }))))
      }
      while (true) {
        if (state.toFork.length > 0) yield* forker
        launchReady()
        yield* flush
        while (defects.length > 0) {
          const [where, defect] = defects.shift()!
          // A defect that throws when printed (hostile getters) must not take the driver down with it.
          yield* Effect.catchAllDefect(
            Effect.logError(`${where} crashed`, defect),
            () => Effect.logError(`${where} crashed with a value that cannot be printed`)
          )
        }
        if (state.finished) return
        if (inbox.length === 0) {
          if (held !== undefined) {
            yield* flushHeld
            continue
          }
          if (state.inFlight === 0 && cancelWait === undefined) {
            return yield* endEarly({ code: "internal_error", message: "the execution stopped making progress", module: null })
          }
          yield* idle
        }
        // One message at a time, publishing after each: while the sink is
        // full, no further completion is processed and no module starts.
        const m = inbox.shift()!
        switch (m._tag) {
          case "Retrying": state.moduleRetrying(m.j, m.attempt, m.delayMs, m.error); break
          case "Finished": state.moduleFinished(m.j, outcomeOf(plan.modules[m.j]!.module, m.exit)); break
          case "PermitFree": break
          case "Stop": return yield* endEarly(m.error)
        }
      }
    })

    /** Ends the execution before its last output, with a final error event naming the outputs that never arrived. */
    const endEarly = (error: ErrorInfo) =>
      Effect.gen(function*() {
        if (fibers !== undefined) yield* FiberSet.clear(fibers)
        yield* flushHeld
        const sentNames = new Set(emitted)
        const missing = plan.dag.outputs.map((o) => o.name).filter((n) => !sentNames.has(n))
        yield* offerBlocking({
          _tag: "ExecutionFailed",
          executionId: options.executionId,
          seq: -1,
          timestamp: clock.unsafeCurrentTimeMillis(),
          error,
          missing,
          isFinal: true
        })
      })

    // A bug in the engine must still end the stream with a final event.
    const loop = Effect.catchAllCause(run, (cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.failCause(cause)
        : Effect.zipRight(
          Effect.logError("execution driver failed", cause),
          endEarly({ code: "internal_error", message: "the engine failed; the details are in the server log", module: null })
        ))

    return yield* loop
  })
