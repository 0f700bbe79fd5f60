/**
 * Runs an execution: the driver (Driver.ts) in the caller's fiber until the
 * final event.
 */
import { Effect } from "effect"
import type { Clock } from "effect"
import type { Value } from "../../lang/value.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import { interruptedError } from "../Execution.js"
import type { ExecutionOptions } from "../Execution.js"
import type { ExecutionLog } from "../ExecutionLog.js"
import type { SchedulerShape } from "../Scheduler.js"
import { Driver } from "./Driver.js"
import { runtimeOf } from "./forkNow.js"
import type { CallServices } from "./Driver.js"
import type { Plan } from "./Plan.js"

/**
 * Runs an execution to its final event, in the caller's fiber, appending
 * its events to `log` (timestamps and timers on `clock`). Interrupting it
 * interrupts every fiber it forked and completes once their finalizers have
 * run, the log ended.
 */
export const execute = (
  plan: Plan,
  lookup: (name: string) => RegisteredModule | undefined,
  inputs: Readonly<Record<string, Value>>,
  log: ExecutionLog,
  options: ExecutionOptions & { readonly executionId: string },
  scheduler: SchedulerShape,
  services: CallServices,
  clock: Clock.Clock
): Effect.Effect<void> => {
  // What the run needs, reached through `job` only and dropped when it starts: whatever
  // holds this effect afterwards (Effect's own `onExit` and `uninterruptibleMask` keep
  // it from the old generation, see `Wait` below) then holds nothing of the execution.
  let job: Job | undefined = { plan, lookup, inputs, log, options, scheduler, services, clock }
  // The fiber's runtime (what the driver forks modules with) in one step, as `Effect.runtime` makes it.
  return Effect.withFiberRuntime<void>((fiber, status) => {
    const j = job
    // Run once (`Execution.run`): a second run finds the log ended and does nothing.
    if (j === undefined) return Effect.void
    job = undefined
    // Active (the scheduler's stats) until the driver hands over its tail, or the execution is interrupted.
    const wait = new Wait(j.log, j.scheduler.executionStarted())
    wait.driver = new Driver(j.plan, j.lookup, j.log, j.options, j.scheduler, j.services, j.clock, runtimeOf(fiber, status), wait.end)
    wait.driver.start(j.inputs)
    // Ended without suspending (a batch of sync modules): its tail, with no `Effect.async` around it.
    return wait.tail ?? untilEnd(wait)
  })
}

interface Job {
  readonly plan: Plan
  readonly lookup: (name: string) => RegisteredModule | undefined
  readonly inputs: Readonly<Record<string, Value>>
  readonly log: ExecutionLog
  readonly options: ExecutionOptions & { readonly executionId: string }
  readonly scheduler: SchedulerShape
  readonly services: CallServices
  readonly clock: Clock.Clock
}

/**
 * The execution's wait for its driver's tail. What Effect's `async` keeps
 * of a wait outlives it in V8's old generation until a major collection
 * (Effect allocates a function literal assigned to a property there, and
 * its scope holds the registration, the canceller and the resumed value);
 * so the wait reaches the execution only through this object, emptied when
 * the execution ends. Otherwise every execution that waited, and every one
 * resumed before its wait began, would be copied by every minor collection
 * until the next major one (measured: minor collections took more than
 * half of a 1,000-module batch run's time; docs/benchmarks.md).
 */
class Wait {
  driver: Driver | undefined = undefined
  tail: Effect.Effect<void> | undefined = undefined
  resume: ((effect: Effect.Effect<void>) => void) | undefined = undefined

  constructor(
    private log: ExecutionLog | undefined,
    private ended: (() => void) | undefined
  ) {}

  /** The driver's tail: resumes the wait, or is kept for it. */
  readonly end = (tail: Effect.Effect<void>): void => {
    this.release()
    if (this.resume === undefined) this.tail = tail
    else this.resume(tail)
  }

  /** Interrupted: the driver stops its fibers, then the log ends. */
  readonly interrupt: Effect.Effect<void> = Effect.suspend(() => {
    const driver = this.driver
    return Effect.ensuring(
      driver === undefined ? Effect.void : driver.interrupt(),
      Effect.sync(() => {
        const log = this.log
        this.release()
        log?.interrupted(interruptedError)
      })
    )
  })

  private release(): void {
    const ended = this.ended
    this.ended = undefined
    this.driver = undefined
    this.log = undefined
    ended?.()
  }
}

/** Waits for the driver's tail, reaching the execution only through `wait`. */
const untilEnd = (wait: Wait): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    // The fiber may have yielded before this runs, and the driver ended meanwhile.
    if (wait.tail !== undefined) return resume(wait.tail)
    wait.resume = resume
    return wait.interrupt
  })
