/**
 * The answer of a batch run: every output that succeeded, the error of every
 * one that did not, and a status per output, so a partial result is never
 * thrown away.
 */
import { Schema } from "effect"
import { ValueSchema } from "../lang/dag.js"
import type { Value } from "../lang/value.js"
import { ErrorInfo } from "./ExecutionEvent.js"
import type { ExecutionEvent } from "./ExecutionEvent.js"

export const OutputStatus = Schema.Literal("succeeded", "fallback", "failed", "missing")
export type OutputStatus = typeof OutputStatus.Type

export const BatchResult = Schema.Struct({
  executionId: Schema.String,
  /** `completed`: every output succeeded; `partial`: some did; `failed`: none did. */
  status: Schema.Literal("completed", "partial", "failed"),
  outputs: Schema.Record({ key: Schema.String, value: ValueSchema }),
  errors: Schema.Record({ key: Schema.String, value: ErrorInfo }),
  /** For each declared output: `succeeded`, `fallback` (a fallback value), `failed`, or `missing` (the execution ended first). */
  outputStatus: Schema.Record({ key: Schema.String, value: OutputStatus }),
  durationMs: Schema.Number
})
export type BatchResult = typeof BatchResult.Type

/** Accumulates events into a batch result. */
export class BatchCollector {
  readonly outputs: Record<string, Value> = {}
  readonly errors: Record<string, ErrorInfo> = {}
  readonly outputStatus: Record<string, OutputStatus> = {}

  constructor(readonly outputNames: ReadonlyArray<string>) {
    for (const n of outputNames) this.outputStatus[n] = "missing"
  }

  add(e: ExecutionEvent): void {
    switch (e._tag) {
      case "Output":
        this.outputs[e.name] = e.value
        this.outputStatus[e.name] = e.fromFallback ? "fallback" : "succeeded"
        break
      case "OutputFailed":
        this.errors[e.name] = e.error
        this.outputStatus[e.name] = "failed"
        break
      case "ExecutionFailed":
        for (const n of e.missing) this.errors[n] = e.error
        break
      default:
        break
    }
  }

  result(executionId: string, durationMs: number): BatchResult {
    const ok = Object.keys(this.outputs).length
    const status = ok === this.outputNames.length ? "completed" : ok === 0 ? "failed" : "partial"
    return { executionId, status, outputs: this.outputs, errors: this.errors, outputStatus: this.outputStatus, durationMs }
  }
}
