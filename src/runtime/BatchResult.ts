/**
 * The answer of a batch run: every output that succeeded, the error of every
 * one that did not, and a status per output, so a partial result is never
 * thrown away.
 */
import { Schema } from "effect"
import { ValueSchema } from "../lang/dag.js"
import { safeRecord } from "../lang/safeRecord.js"
import { ErrorInfo } from "./ExecutionEvent.js"
import type { ExecutionLog } from "./ExecutionLog.js"
import { foldResult } from "./foldResult.js"

export { foldResult, statusOf } from "./foldResult.js"

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

/** The batch result of what `log` holds (every result event is kept for the life of the execution; the fold skips the others). */
export const fromLog = (log: ExecutionLog, durationMs: number): BatchResult =>
  foldResult(log.executionId, log.outputs, log.events, durationMs)
