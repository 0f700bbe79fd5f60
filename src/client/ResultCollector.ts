/**
 * Folds the events of a streamed execution into the answer a batch run
 * gives: every output that succeeded, the error of every one that did not,
 * each output's status and the overall status. The fold is the server's
 * own (`foldResult`), over the runtime events the wire events stand for.
 *
 * @since 0.1.0
 */
import type { BatchResponse } from "../protocol/api.js"
import { fromWire } from "../protocol/eventKinds.js"
import type { ExecutionEvent, StreamEvent } from "../protocol/events.js"
import { foldResult } from "../protocol/resultFold.js"

/** @since 0.1.0 @category models */
export interface ResultCollector {
  /** Takes one event into account; events other than outputs and errors are ignored. */
  readonly add: (event: StreamEvent) => void
  /** The result so far, with the given duration. */
  readonly result: (durationMs: number) => BatchResponse
}

/**
 * A collector for one execution. The declared outputs are those the
 * events name (each output is named by exactly one event of a finished stream).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeResultCollector = (): ResultCollector => {
  const events: Array<ExecutionEvent> = []
  // A Set, not an object: an output may be named `__proto__`.
  const names = new Set<string>()
  let executionId = ""
  return {
    add: (e) => {
      executionId ||= e.data.executionId
      if (e.event !== "output" && e.event !== "complete" && e.event !== "error") return
      const event = fromWire(e)
      if (event._tag === "ExecutionFailed") for (const n of event.missing) names.add(n)
      else if (event._tag === "Output" || event._tag === "OutputFailed") names.add(event.name)
      events.push(event)
    },
    result: (durationMs) => foldResult(executionId, [...names], events, durationMs)
  }
}
