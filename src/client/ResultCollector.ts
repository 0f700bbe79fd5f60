/**
 * Folds the events of a streamed execution into the answer a batch run
 * gives: every output that succeeded, the error of every one that did not,
 * and the overall status.
 *
 * @since 0.1.0
 */
import type { BatchResponse } from "../http/ApiModels.js"
import type { Value } from "../lang/value.js"
import type { ErrorInfo } from "../runtime/ExecutionEvent.js"
import { isExecutionError } from "./StreamEvent.js"
import type { StreamEvent } from "./StreamEvent.js"

/** @since 0.1.0 @category models */
export interface ResultCollector {
  /** Takes one event into account; events other than outputs and errors are ignored. */
  readonly add: (event: StreamEvent) => void
  /** The result so far, with the given duration. */
  readonly result: (durationMs: number) => BatchResponse
}

/**
 * A collector for one execution.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeResultCollector = (): ResultCollector => {
  const outputs: Record<string, Value> = {}
  const errors: Record<string, ErrorInfo> = {}
  let executionId = ""
  let ended = false
  return {
    add: (e) => {
      executionId ||= e.data.executionId
      if (e.event === "output" || e.event === "complete") {
        outputs[e.data.name] = e.data.value
      } else if (e.event === "error") {
        const data = e.data
        if (isExecutionError(data)) {
          ended = true
          for (const name of data.missing) errors[name] = data.error
        } else errors[data.name] = data.error
      }
    },
    result: (durationMs) => {
      const ok = Object.keys(outputs).length
      const failed = Object.keys(errors).length
      const status = failed === 0 && !ended ? "completed" : ok === 0 ? "failed" : "partial"
      return { executionId, status, outputs: { ...outputs }, errors: { ...errors }, durationMs }
    }
  }
}
