/**
 * An execution event as it goes on the wire: an event name, an optional id
 * (the output's name) and a JSON payload. Server-Sent Events and WebSocket
 * frames carry the same names and payloads.
 */
import { Schema } from "effect"
import { ValueSchema } from "../lang/dag.js"
import { ErrorInfo } from "../runtime/ExecutionEvent.js"
import type { ExecutionEvent } from "../runtime/ExecutionEvent.js"

const numbered = { executionId: Schema.String, seq: Schema.Int }
const timed = { ...numbered, timestamp: Schema.Number }
const moduleFields = { ...timed, module: Schema.String, node: Schema.Int }

/** `output` (`isFinal: false`) and `complete` (`isFinal: true`, the last event). */
export const OutputData = Schema.Struct({
  ...timed,
  name: Schema.String,
  value: ValueSchema,
  isFinal: Schema.Boolean,
  /** True when the value is the module's `fallback`, used after every attempt failed. */
  fromFallback: Schema.optional(Schema.Boolean)
})
/** `error` about one output. */
export const OutputErrorData = Schema.Struct({ ...timed, name: Schema.String, error: ErrorInfo, isFinal: Schema.Boolean })
/** `error` ending the whole execution (deadline, shutdown, cancel): `missing` lists the outputs that never came. */
export const ExecutionErrorData = Schema.Struct({
  ...numbered,
  error: ErrorInfo,
  missing: Schema.Array(Schema.String),
  isFinal: Schema.Literal(true)
})
export const ModuleStartedData = Schema.Struct(moduleFields)
export const ModuleCompletedData = Schema.Struct({ ...moduleFields, latencyMs: Schema.Number })
export const ModuleFailedData = Schema.Struct({ ...moduleFields, error: ErrorInfo, latencyMs: Schema.Number })
export const ModuleSkippedData = Schema.Struct({ ...moduleFields, reason: Schema.String })
export const ModuleRetryingData = Schema.Struct({ ...moduleFields, attempt: Schema.Int, delayMs: Schema.Number, error: ErrorInfo })
export const ProgressData = Schema.Struct({ ...timed, completed: Schema.Int, total: Schema.Int })

/** Every event name, with the Schema of its payload. */
export const eventSchemas = {
  output: OutputData,
  complete: OutputData,
  error: Schema.Union(OutputErrorData, ExecutionErrorData),
  "module-started": ModuleStartedData,
  "module-completed": ModuleCompletedData,
  "module-failed": ModuleFailedData,
  "module-skipped": ModuleSkippedData,
  "module-retrying": ModuleRetryingData,
  progress: ProgressData
} as const

export type EventName = keyof typeof eventSchemas

/** Whether `data` is a valid payload of `event` (for clients checking what they receive). */
export const isPayloadOf: { readonly [K in EventName]: (data: unknown) => boolean } = {
  output: Schema.is(eventSchemas.output),
  complete: Schema.is(eventSchemas.complete),
  error: Schema.is(eventSchemas.error),
  "module-started": Schema.is(eventSchemas["module-started"]),
  "module-completed": Schema.is(eventSchemas["module-completed"]),
  "module-failed": Schema.is(eventSchemas["module-failed"]),
  "module-skipped": Schema.is(eventSchemas["module-skipped"]),
  "module-retrying": Schema.is(eventSchemas["module-retrying"]),
  progress: Schema.is(eventSchemas.progress)
}

export const eventNames = Object.keys(eventSchemas) as ReadonlyArray<EventName>

export interface WireEvent {
  readonly event: EventName
  /** The output's name, for output events. */
  readonly id: string | undefined
  readonly data: Readonly<Record<string, unknown>>
}

/** The wire form of an execution event. */
export const toWire = (e: ExecutionEvent): WireEvent => {
  const { executionId, seq } = e
  switch (e._tag) {
    case "Output": {
      const data: typeof OutputData.Type = {
        executionId,
        seq,
        name: e.name,
        value: e.value,
        timestamp: e.timestamp,
        isFinal: e.isFinal,
        fromFallback: e.fromFallback
      }
      return { event: e.isFinal ? "complete" : "output", id: e.name, data }
    }
    case "OutputFailed": {
      const data: typeof OutputErrorData.Type = { executionId, seq, name: e.name, error: e.error, timestamp: e.timestamp, isFinal: e.isFinal }
      return { event: "error", id: e.name, data }
    }
    case "ExecutionFailed": {
      const data: typeof ExecutionErrorData.Type = { executionId, seq, error: e.error, missing: e.missing, isFinal: true }
      return { event: "error", id: undefined, data }
    }
    case "ModuleStarted": {
      const { _tag: _, ...data } = e
      return { event: "module-started", id: undefined, data }
    }
    case "ModuleCompleted": {
      const { _tag: _, ...data } = e
      return { event: "module-completed", id: undefined, data }
    }
    case "ModuleFailed": {
      const { _tag: _, ...data } = e
      return { event: "module-failed", id: undefined, data }
    }
    case "ModuleSkipped": {
      const { _tag: _, ...data } = e
      return { event: "module-skipped", id: undefined, data }
    }
    case "ModuleRetrying": {
      const { _tag: _, ...data } = e
      return { event: "module-retrying", id: undefined, data }
    }
    case "Progress": {
      const { _tag: _, ...data } = e
      return { event: "progress", id: undefined, data }
    }
  }
}

/** Whether this is the execution's last event. */
export const isFinalEvent = (e: ExecutionEvent): boolean =>
  (e._tag === "Output" || e._tag === "OutputFailed" || e._tag === "ExecutionFailed") && e.isFinal
