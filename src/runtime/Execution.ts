/**
 * One execution as an Effect: what it publishes to (`EventSink`), what it
 * can be told (`ExecutionOptions`), and `execute`, which runs the driver
 * (Driver.ts) in the caller's fiber until the final event.
 */
import { Effect } from "effect"
import type { Duration } from "effect"
import type { Value } from "../lang/value.js"
import type { RegisteredModule } from "../modules/ModuleRegistry.js"
import { Driver } from "./Driver.js"
import type { ErrorInfo, ExecutionEvent } from "./ExecutionEvent.js"
import type { Plan } from "./Plan.js"
import type { SchedulerShape } from "./Scheduler.js"
import type { StopSignal } from "./StopSignal.js"

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
  /**
   * Ends the execution when aborted, with the signal's reason when it is an
   * `ErrorInfo` (`{ code, message, module }`), else with `cancelled`. An
   * `AbortSignal`, or a `StopSignalController`'s signal when thousands of
   * executions listen to one. The cheap form of `stop`: listening costs no fiber.
   */
  readonly signal?: StopSignal | undefined
  /** A value larger than this many bytes (as JSON, estimated) fails with `value_too_large` (default: no bound). */
  readonly maxValueBytes?: number | undefined
}

/**
 * Runs an execution to its final event, in the caller's fiber. Interrupting
 * it interrupts every fiber it forked, and it completes once their
 * finalizers have run.
 */
export const execute = (
  plan: Plan,
  lookup: (name: string) => RegisteredModule | undefined,
  inputs: Readonly<Record<string, Value>>,
  sink: EventSink,
  options: ExecutionOptions & { readonly executionId: string },
  scheduler: SchedulerShape
): Effect.Effect<void> =>
  Effect.flatMap(Effect.clock, (clock) =>
    Effect.flatMap(Effect.runtime<never>(), (runtime) =>
      Effect.async<void>((resume) => {
        const driver = new Driver(plan, lookup, sink, options, scheduler, clock, runtime, resume)
        driver.start(inputs)
        return Effect.suspend(driver.interrupt)
      })))
