/**
 * The fold of an execution's result events into its batch answer
 * (`BatchResult`), and the status of a result. Schema-free (the types
 * aside), so a client that folds a stream by the same rules as the server
 * (`src/protocol/resultFold.ts`) does without Schema in a browser.
 */
import { MAX_TEMPLATE_KEYS, recordBuilder, recordTemplate } from "../lang/ownRecord.js"
import type { Value } from "../lang/value.js"
import type { BatchResult, OutputStatus } from "./BatchResult.js"
import type { ErrorInfo, ExecutionEvent } from "./ExecutionEvent.js"

/** A result's status from how many of its outputs succeeded. */
export const statusOf = (succeeded: number, outputs: number): BatchResult["status"] =>
  succeeded === outputs ? "completed" : succeeded === 0 ? "failed" : "partial"

interface Templates {
  /** Every output, in declaration order (values to be set). */
  readonly outputs: { readonly [name: string]: Value }
  /** Every output `succeeded`. */
  readonly status: { readonly [name: string]: OutputStatus }
}

/**
 * The records of a list of output names that is folded again and again
 * (a plan's): made on its second fold, so a list folded once (a client's)
 * never pays for them. `null`: folded once.
 */
const templates = new WeakMap<ReadonlyArray<string>, Templates | null>()

const templatesOf = (outputNames: ReadonlyArray<string>): Templates | undefined => {
  const known = templates.get(outputNames)
  if (known !== undefined && known !== null) return known
  if (outputNames.length === 0 || outputNames.length > MAX_TEMPLATE_KEYS) return undefined
  if (known === undefined) {
    templates.set(outputNames, null)
    return undefined
  }
  const made = { outputs: recordTemplate<Value>(outputNames, null), status: recordTemplate<OutputStatus>(outputNames, "succeeded") }
  templates.set(outputNames, made)
  return made
}

/** Whether the result events are an `Output` per declared output, in declaration order, none from a fallback. */
const allInOrder = (outputNames: ReadonlyArray<string>, events: ReadonlyArray<ExecutionEvent>): boolean => {
  let k = 0
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!
    if (e._tag === "Output") {
      if (e.fromFallback || e.name !== outputNames[k]) return false
      k++
    } else if (e._tag === "OutputFailed" || e._tag === "ExecutionFailed") return false
  }
  return k === outputNames.length
}

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
  const list = Array.isArray(events) ? events as ReadonlyArray<ExecutionEvent> : [...events]
  const t = templatesOf(outputNames)
  // Every output succeeded, in declaration order: copies of the templates, in that order as the general fold has them.
  if (t !== undefined && allInOrder(outputNames, list)) {
    const outputs: Record<string, Value> = { ...t.outputs }
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!
      if (e._tag === "Output") outputs[e.name] = e.value
    }
    return { executionId, status: "completed", outputs, errors: {}, outputStatus: { ...t.status }, durationMs }
  }
  return foldAny(executionId, outputNames, list, durationMs)
}

const foldAny = (
  executionId: string,
  outputNames: ReadonlyArray<string>,
  events: ReadonlyArray<ExecutionEvent>,
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
