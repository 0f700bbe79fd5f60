/**
 * What a reader joining an execution without a position starts from: every
 * result so far in order (the final event excepted: it follows as itself),
 * each output's status, and the newest progress count. Its `seq` is the
 * last event it covers; reading the log after it gives the rest.
 *
 * @since 0.3.0
 */
import type { ExecutionLog } from "./ExecutionLog.js"
import type { OutputEvent, OutputFailedEvent, ProgressEvent } from "./ExecutionEvent.js"

/** An output's status so far. @since 0.3.0 @category models */
export type OutputProgress = "pending" | "succeeded" | "fallback" | "failed" | "missing"

/** @since 0.3.0 @category models */
export interface ExecutionSnapshot {
  readonly executionId: string
  /** The last event covered: read the log `after` it for the rest. */
  readonly seq: number
  readonly results: ReadonlyArray<OutputEvent | OutputFailedEvent>
  /** Each declared output's status, in declaration order (a Map: an output may be named `__proto__`). */
  readonly outputStatus: ReadonlyMap<string, OutputProgress>
  readonly progress: ProgressEvent | undefined
  /** Whether the execution has ended (its final event follows the snapshot). */
  readonly finished: boolean
}

/**
 * The snapshot of `log` now.
 *
 * @since 0.3.0
 * @category constructors
 */
export const snapshotOf = (log: ExecutionLog): ExecutionSnapshot => {
  const final = log.finalEvent
  const seq = final === undefined ? log.lastSeq : final.seq - 1
  const results: Array<OutputEvent | OutputFailedEvent> = []
  const outputStatus = new Map<string, OutputProgress>(log.outputs.map((n) => [n, "pending"]))
  let progress: ProgressEvent | undefined
  for (const e of log.events) {
    if (e.seq > seq) break
    if (e._tag === "Progress") progress = e
    else if (e._tag === "Output") {
      results.push(e)
      outputStatus.set(e.name, e.fromFallback ? "fallback" : "succeeded")
    } else if (e._tag === "OutputFailed") {
      results.push(e)
      outputStatus.set(e.name, "failed")
    }
  }
  return { executionId: log.executionId, seq, results, outputStatus, progress, finished: final !== undefined }
}
