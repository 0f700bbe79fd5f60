/**
 * An execution started in the background (`engine.start`), and followed by
 * as many readers as like: each `events()` is a `Stream` of its own that
 * never holds the run back (a slow reader skips module and progress events
 * compacted meanwhile, never a result), from the first event or after a
 * `seq` it has seen. `snapshot()` is what has come so far; `cancel` stops
 * it keeping what was computed; `await` is its batch result.
 *
 * @since 0.3.0
 */
import { Effect, Fiber, Stream } from "effect"
import type { Scope } from "effect"
import { fromLog } from "./BatchResult.js"
import type { BatchResult } from "./BatchResult.js"
import type { Execution } from "./Execution.js"
import { DEFAULT_MAX_BUFFERED, interruptedError } from "./Execution.js"
import type { ErrorInfo, ExecutionEvent } from "./ExecutionEvent.js"
import type { ExecutionLog } from "./ExecutionLog.js"
import { snapshotOf } from "./ExecutionSnapshot.js"
import type { ExecutionSnapshot } from "./ExecutionSnapshot.js"
import { forkNow } from "./internal/forkNow.js"
import { readAsStream } from "./internal/logStream.js"

/** @since 0.3.0 @category models */
export interface EventsOptions {
  /** Only the events after this `seq` (default: from the first). */
  readonly after?: number | undefined
  /** How many events may wait for this reader before it waits (default 64); the run never does. */
  readonly maxBuffered?: number | undefined
}

/** @since 0.3.0 @category models */
export interface RunningExecution {
  readonly executionId: string
  /** The declared outputs' names, in declaration order. */
  readonly outputs: ReadonlyArray<string>
  readonly log: ExecutionLog
  /** Its events as a stream that ends after the final one; stopping it stops only this reader. */
  readonly events: (options?: EventsOptions) => Stream.Stream<ExecutionEvent>
  /** Every result so far, each output's status, the newest progress count. */
  readonly snapshot: () => ExecutionSnapshot
  /** Stops it (every module interrupted); its final event carries `error` (default `cancelled`). Nothing when it has ended. */
  readonly cancel: (error?: ErrorInfo) => Effect.Effect<void>
  /** Waits for the end: every output, error and status, as `engine.run` answers. */
  readonly await: Effect.Effect<BatchResult>
}

/**
 * Runs `execution` in a fiber of `scope`'s (interrupted when it closes)
 * and returns its handle.
 *
 * @since 0.3.0
 * @category constructors
 */
export const startIn = (execution: Execution, now: () => number): Effect.Effect<RunningExecution, never, Scope.Scope> =>
  Effect.flatMap(Effect.scope, (scope) => {
    const started = now()
    return Effect.map(forkNow(Effect.interruptible(execution.run), scope), (fiber) => handleOf(execution, fiber, started, now))
  })

const handleOf = (
  execution: Execution,
  fiber: Fiber.RuntimeFiber<void>,
  started: number,
  now: () => number
): RunningExecution => {
  const { log } = execution
  let ended: number | undefined
  fiber.addObserver(() => void (ended = now()))
  return {
    executionId: execution.executionId,
    outputs: execution.outputs,
    log,
    events: (options = {}) =>
      Stream.suspend(() => {
        const reading = readAsStream(log, options.maxBuffered ?? DEFAULT_MAX_BUFFERED, { after: options.after })
        return Stream.ensuring(reading.stream, Effect.sync(reading.close))
      }),
    snapshot: () => snapshotOf(log),
    cancel: (error = interruptedError) =>
      Effect.suspend(() => {
        if (log.finished) return Effect.void
        log.interruptReason = error
        return Effect.asVoid(Fiber.interrupt(fiber))
      }),
    await: Effect.map(Fiber.await(fiber), () => fromLog(log, (ended ?? now()) - started))
  }
}
