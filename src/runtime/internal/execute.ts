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
): Effect.Effect<void> =>
  // The fiber's runtime (what the driver forks modules with) in one step, as `Effect.runtime` makes it.
  Effect.withFiberRuntime<void>((fiber, status) => {
    const runtime = runtimeOf(fiber, status)
    return Effect.async<void>((resume) => {
      // Active (the scheduler's stats) until the driver hands over its tail, or the execution is interrupted.
      const ended = scheduler.executionStarted()
      const driver = new Driver(plan, lookup, log, options, scheduler, services, clock, runtime, (tail) => {
        ended()
        resume(tail)
      })
      driver.start(inputs)
      return Effect.suspend(driver.interrupt).pipe(Effect.ensuring(Effect.sync(() => {
        ended()
        log.interrupted(interruptedError)
      })))
    })
  })
