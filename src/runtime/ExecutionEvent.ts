/**
 * The events of an execution, in the order a consumer receives them. One
 * definition serves the runtime, the HTTP service and the clients.
 *
 * Every event carries the execution id and a sequence number that starts at
 * 0 and increases by one. Exactly one event has `isFinal: true`: the last.
 */
import { Schema } from "effect"
import { ValueSchema } from "../lang/dag.js"

/** Why an output or a module failed. `module` names the module that failed, or is null for an inline expression. */
export const ErrorInfo = Schema.Struct({
  code: Schema.String,
  message: Schema.String,
  module: Schema.NullOr(Schema.String),
  /** For a call made per element (inside a lambda), the index of the element it failed on, from 0. */
  element: Schema.optionalWith(Schema.Int, { exact: true })
})
export type ErrorInfo = typeof ErrorInfo.Type

const base = {
  executionId: Schema.String,
  seq: Schema.Int,
  /** Milliseconds since the epoch, from Effect's `Clock` (virtual under `TestClock`). */
  timestamp: Schema.Number
}

/** A declared output's value is ready. */
export const OutputEvent = Schema.TaggedStruct("Output", {
  ...base,
  name: Schema.String,
  value: ValueSchema,
  isFinal: Schema.Boolean,
  /** True when the value is a module's `fallback`, used after every attempt failed. */
  fromFallback: Schema.Boolean
})

/** A declared output will never have a value: its module failed, or something it depends on did. */
export const OutputFailedEvent = Schema.TaggedStruct("OutputFailed", {
  ...base,
  name: Schema.String,
  error: ErrorInfo,
  isFinal: Schema.Boolean
})

/** The whole execution ended early (deadline, shutdown). Always the last event. */
export const ExecutionFailedEvent = Schema.TaggedStruct("ExecutionFailed", {
  ...base,
  error: ErrorInfo,
  /** Outputs that never arrived. */
  missing: Schema.Array(Schema.String),
  isFinal: Schema.Literal(true)
})

const moduleBase = {
  ...base,
  /** The module's registered name, e.g. `Uppercase`. */
  module: Schema.String,
  /** The module node's id in the DAG. */
  node: Schema.Int
}

/** A module call started (with `progress: true`). */
export const ModuleStartedEvent = Schema.TaggedStruct("ModuleStarted", moduleBase)
/** A module call completed, after `latencyMs`. */
export const ModuleCompletedEvent = Schema.TaggedStruct("ModuleCompleted", {
  ...moduleBase,
  latencyMs: Schema.Number,
  /** For a call made per element (inside a lambda or a `match` arm): how many calls it made, from its first to the end of its list function. */
  calls: Schema.optionalWith(Schema.Int, { exact: true })
})
/** A module call failed (after its retries, if any). */
export const ModuleFailedEvent = Schema.TaggedStruct("ModuleFailed", { ...moduleBase, error: ErrorInfo, latencyMs: Schema.Number })
/**
 * The module never ran: one of its inputs failed (`cause: "upstream_failed"`),
 * or nothing needed its value (`"not_needed"`: a branch not taken, the right
 * operand of `and`, `or` or `??` not evaluated, a guard that was false, a
 * fallback not used, a `lazy` call nobody asked for). Skipped modules are
 * reported before the final event.
 */
export const ModuleSkippedEvent = Schema.TaggedStruct("ModuleSkipped", {
  ...moduleBase,
  reason: Schema.String,
  cause: Schema.Literal("upstream_failed", "not_needed")
})
/** An attempt failed and another follows after `delayMs`. `attempt` is the number of the next attempt (2 for the first retry). */
export const ModuleRetryingEvent = Schema.TaggedStruct("ModuleRetrying", {
  ...moduleBase,
  attempt: Schema.Int,
  delayMs: Schema.Number,
  error: ErrorInfo
})
/** Modules finished (completed, failed or skipped) of all modules. May be coalesced when the consumer lags. */
export const ProgressEvent = Schema.TaggedStruct("Progress", { ...base, completed: Schema.Int, total: Schema.Int })

/** Every event of an execution, discriminated by `_tag`. */
export const ExecutionEvent = Schema.Union(
  OutputEvent,
  OutputFailedEvent,
  ExecutionFailedEvent,
  ModuleStartedEvent,
  ModuleCompletedEvent,
  ModuleFailedEvent,
  ModuleSkippedEvent,
  ModuleRetryingEvent,
  ProgressEvent
)
export type ExecutionEvent = typeof ExecutionEvent.Type
export type OutputEvent = typeof OutputEvent.Type
export type OutputFailedEvent = typeof OutputFailedEvent.Type
export type ExecutionFailedEvent = typeof ExecutionFailedEvent.Type
export type ProgressEvent = typeof ProgressEvent.Type

/** The events about outputs and the execution as a whole, as opposed to progress. */
export type ResultEvent = OutputEvent | OutputFailedEvent | ExecutionFailedEvent

/** Whether an event is about an output or the whole execution (kept by the log for the execution's life). */
export const isResultEvent = (e: ExecutionEvent): e is ResultEvent =>
  e._tag === "Output" || e._tag === "OutputFailed" || e._tag === "ExecutionFailed"

/** Whether this is the execution's last event (`isFinal: true`). */
export const isFinalEvent = (e: ExecutionEvent): boolean =>
  (e._tag === "Output" || e._tag === "OutputFailed" || e._tag === "ExecutionFailed") && e.isFinal
