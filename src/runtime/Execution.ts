/**
 * One execution: what it can be told (`ExecutionOptions`) and the handle a
 * prepared execution is (`Execution`: its id, its outputs, its log, and
 * `run`). `internal/execute.ts` runs it.
 *
 * @since 0.1.0
 */
import type { Duration, Effect } from "effect"
import type { ErrorInfo } from "./ExecutionEvent.js"
import type { ExecutionLog } from "./ExecutionLog.js"
import type { StopSignal } from "./StopSignal.js"

/**
 * A prepared execution: its inputs are valid and nothing runs until `run`.
 * Read its events from `log` (before, during or after the run).
 *
 * ```ts
 * const execution = yield* engine.prepare(pipeline, { text: "hi" })
 * execution.log.read(writer, { holdsExecution: true })
 * yield* execution.run
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface Execution {
  readonly executionId: string
  /** The declared outputs' names, in declaration order. */
  readonly outputs: ReadonlyArray<string>
  /** Where the events are numbered and kept, and read from. */
  readonly log: ExecutionLog
  /**
   * Runs the execution to its final event, in the caller's fiber. It runs
   * once: running it again does nothing (the log has its events already).
   * Interrupting it interrupts every module and ends the log with a final
   * `ExecutionFailed` (`cancelled`) unless it has ended already.
   */
  readonly run: Effect.Effect<void>
}

/** The error of an execution interrupted before its final event. @since 0.2.0 @category errors */
export const interruptedError: ErrorInfo = {
  code: "cancelled",
  message: "the execution was cancelled",
  module: null
}

/** @since 0.1.0 @category models */
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
 * How many events a `Stream` of an execution buffers for its consumer by
 * default (`maxBuffered`): a wide pipeline's outputs reach the consumer in
 * chunks of up to this many.
 *
 * @since 0.1.0
 */
export const DEFAULT_MAX_BUFFERED = 64
