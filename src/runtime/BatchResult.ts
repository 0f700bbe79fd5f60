/**
 * The answer of a batch run: every output that succeeded, the error of every
 * one that did not, and a status per output, so a partial result is never
 * thrown away.
 */
import { Schema } from "effect"
import { ValueSchema } from "../lang/dag.js"
import { safeRecord } from "../lang/safeRecord.js"
import type { Value } from "../lang/value.js"
import { ErrorInfo } from "./ExecutionEvent.js"
import type { ExecutionEvent } from "./ExecutionEvent.js"
import type { ExecutionLog } from "./ExecutionLog.js"

/** How one declared output ended: `succeeded`, `fallback` (its module's fallback value), `failed`, or `missing` (the execution ended first). */
export const OutputStatus = Schema.Literal("succeeded", "fallback", "failed", "missing")
export type OutputStatus = typeof OutputStatus.Type

/**
 * The answer of a batch run (`engine.run`, `POST /execute`): every output
 * that succeeded, the error of every one that did not, each output's status.
 */
export const BatchResult = Schema.Struct({
  executionId: Schema.String,
  /** `completed`: every output succeeded; `partial`: some did; `failed`: none did. */
  status: Schema.Literal("completed", "partial", "failed"),
  outputs: safeRecord(ValueSchema),
  errors: safeRecord(ErrorInfo),
  /** For each declared output: `succeeded`, `fallback` (a fallback value), `failed`, or `missing` (the execution ended first). */
  outputStatus: safeRecord(OutputStatus),
  durationMs: Schema.Number
})
export type BatchResult = typeof BatchResult.Type

/** A result's status from how many of its outputs succeeded. */
export const statusOf = (succeeded: number, outputs: number): BatchResult["status"] =>
  succeeded === outputs ? "completed" : succeeded === 0 ? "failed" : "partial"

/**
 * Folds result events into a batch result: each declared output's value,
 * error and status. Maps inside, so an output may be named `__proto__`.
 */
export const foldResult = (
  executionId: string,
  outputNames: ReadonlyArray<string>,
  events: Iterable<ExecutionEvent>,
  durationMs: number
): BatchResult => {
  const outputs = new Map<string, Value>()
  const errors = new Map<string, ErrorInfo>()
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
  const outputStatus = new Map<string, OutputStatus>()
  let ok = 0
  for (const n of outputNames) {
    if (outputs.has(n)) {
      ok++
      outputStatus.set(n, fallbacks?.has(n) === true ? "fallback" : "succeeded")
    } else {
      outputStatus.set(n, missing?.has(n) === true || !errors.has(n) ? "missing" : "failed")
    }
  }
  // `fromEntries` defines properties, so an output named `__proto__` stays a field.
  return {
    executionId,
    status: statusOf(ok, outputNames.length),
    outputs: Object.fromEntries(outputs),
    errors: Object.fromEntries(errors),
    outputStatus: Object.fromEntries(outputStatus),
    durationMs
  }
}

/** The batch result of what `log` holds (every result event is kept for the life of the execution; the fold skips the others). */
export const fromLog = (log: ExecutionLog, durationMs: number): BatchResult =>
  foldResult(log.executionId, log.outputs, log.events, durationMs)
