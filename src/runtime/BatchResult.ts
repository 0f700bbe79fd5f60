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
  private readonly outputs: Record<string, Value> = {}
  private readonly errors: Record<string, ErrorInfo> = {}
  private fallbacks: Set<string> | undefined
  private missing: Set<string> | undefined

  constructor(readonly outputNames: ReadonlyArray<string>) {}

  add(e: ExecutionEvent): void {
    if (e._tag === "Output") {
      this.outputs[e.name] = e.value
      if (e.fromFallback) (this.fallbacks ??= new Set()).add(e.name)
    } else if (e._tag === "OutputFailed") {
      this.errors[e.name] = e.error
    } else if (e._tag === "ExecutionFailed") {
      this.missing = new Set(e.missing)
      for (const n of e.missing) this.errors[n] = e.error
    }
  }

  result(executionId: string, durationMs: number): BatchResult {
    const outputStatus: Record<string, OutputStatus> = {}
    let ok = 0
    for (const n of this.outputNames) {
      if (Object.hasOwn(this.outputs, n)) {
        ok++
        outputStatus[n] = this.fallbacks?.has(n) === true ? "fallback" : "succeeded"
      } else {
        outputStatus[n] = this.missing?.has(n) === true || !Object.hasOwn(this.errors, n) ? "missing" : "failed"
      }
    }
    const status = ok === this.outputNames.length ? "completed" : ok === 0 ? "failed" : "partial"
    return { executionId, status, outputs: this.outputs, errors: this.errors, outputStatus, durationMs }
  }
}
