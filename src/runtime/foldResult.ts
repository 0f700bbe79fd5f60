/**
 * The fold of an execution's result events into its batch answer
 * (`BatchResult`), and the status of a result. Schema-free (the types
 * aside), so a client that folds a stream by the same rules as the server
 * (`src/protocol/resultFold.ts`) does without Schema in a browser.
 */
import { recordBuilder } from "../lang/ownRecord.js"
import type { Value } from "../lang/value.js"
import type { BatchResult, OutputStatus } from "./BatchResult.js"
import type { ErrorInfo, ExecutionEvent } from "./ExecutionEvent.js"

/** A result's status from how many of its outputs succeeded. */
export const statusOf = (succeeded: number, outputs: number): BatchResult["status"] =>
  succeeded === outputs ? "completed" : succeeded === 0 ? "failed" : "partial"

/**
 * Folds result events into a batch result: each declared output's value,
 * error and status. Keys are own data properties (ownRecord.ts), so an
 * output may be named `__proto__`.
 */
export const foldResult = (
  executionId: string,
  outputNames: ReadonlyArray<string>,
  events: Iterable<ExecutionEvent>,
  durationMs: number
): BatchResult => {
  const expected = outputNames.length
  const outputs = recordBuilder<Value>(expected)
  const errors = recordBuilder<ErrorInfo>(expected)
  let fallbacks: Set<string> | undefined
  let missing: Set<string> | undefined
  for (const e of events) {
    if (e._tag === "Output") {
      outputs.set(e.name, e.value)
      if (e.fromFallback) (fallbacks ??= new Set()).add(e.name)
    } else if (e._tag === "OutputFailed") {
      errors.set(e.name, e.error)
    } else if (e._tag === "ExecutionFailed") {
      missing ??= new Set()
      for (const n of e.missing) {
        missing.add(n)
        errors.set(n, e.error)
      }
    }
  }
  const outputStatus = recordBuilder<OutputStatus>(expected)
  let ok = 0
  for (const n of outputNames) {
    if (outputs.has(n)) {
      ok++
      outputStatus.set(n, fallbacks?.has(n) === true ? "fallback" : "succeeded")
    } else {
      outputStatus.set(n, missing?.has(n) === true || !errors.has(n) ? "missing" : "failed")
    }
  }
  // Own data properties, so an output named `__proto__` stays a field.
  return {
    executionId,
    status: statusOf(ok, outputNames.length),
    outputs: outputs.build(),
    errors: errors.build(),
    outputStatus: outputStatus.build(),
    durationMs
  }
}
