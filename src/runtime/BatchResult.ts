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
/** A result's status from how many of its outputs succeeded. */
export const statusOf = (succeeded: number, outputs: number): BatchResult["status"] =>
  succeeded === outputs ? "completed" : succeeded === 0 ? "failed" : "partial"

/** The status a batch result would have, counted from the events as they pass, keeping no value. */
export class StatusTally {
  private succeeded = 0

  constructor(private readonly outputs: number) {}

  add(e: ExecutionEvent): void {
    if (e._tag === "Output") this.succeeded++
  }

  get status(): BatchResult["status"] {
    return statusOf(this.succeeded, this.outputs)
  }
}

export class BatchCollector {
  // Maps, not objects: an output may be named `__proto__`.
  private readonly outputs = new Map<string, Value>()
  private readonly errors = new Map<string, ErrorInfo>()
  private fallbacks: Set<string> | undefined
  private missing: Set<string> | undefined

  constructor(readonly outputNames: ReadonlyArray<string>) {}

  add(e: ExecutionEvent): void {
    if (e._tag === "Output") {
      this.outputs.set(e.name, e.value)
      if (e.fromFallback) (this.fallbacks ??= new Set()).add(e.name)
    } else if (e._tag === "OutputFailed") {
      this.errors.set(e.name, e.error)
    } else if (e._tag === "ExecutionFailed") {
      this.missing = new Set(e.missing)
      for (const n of e.missing) this.errors.set(n, e.error)
    }
  }

  result(executionId: string, durationMs: number): BatchResult {
    const outputStatus = new Map<string, OutputStatus>()
    let ok = 0
    for (const n of this.outputNames) {
      if (this.outputs.has(n)) {
        ok++
        outputStatus.set(n, this.fallbacks?.has(n) === true ? "fallback" : "succeeded")
      } else {
        outputStatus.set(n, this.missing?.has(n) === true || !this.errors.has(n) ? "missing" : "failed")
      }
    }
    const status = statusOf(ok, this.outputNames.length)
    // `fromEntries` defines properties, so an output named `__proto__` stays a field.
    return {
      executionId,
      status,
      outputs: Object.fromEntries(this.outputs),
      errors: Object.fromEntries(this.errors),
      outputStatus: Object.fromEntries(outputStatus),
      durationMs
    }
  }
}
