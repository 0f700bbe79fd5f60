/**
 * An execution's events on the wire: an event name, an optional id (the
 * output's name) and a JSON payload. Server-Sent Events and WebSocket
 * frames carry the same names and payloads. Each payload is the runtime's
 * event (`src/runtime/ExecutionEvent.ts`) without its `_tag`: the name says
 * which it is.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import {
  ExecutionFailedEvent,
  ModuleCompletedEvent,
  ModuleFailedEvent,
  ModuleRetryingEvent,
  ModuleSkippedEvent,
  ModuleStartedEvent,
  OutputEvent,
  OutputFailedEvent,
  ProgressEvent
} from "../runtime/ExecutionEvent.js"
import type { ExecutionEvent } from "../runtime/ExecutionEvent.js"
import type { EventName } from "./eventKinds.js"

export type { ExecutionEvent } from "../runtime/ExecutionEvent.js"
export { eventNames, fromWire, isEventName, isExecutionError, isFinal } from "./eventKinds.js"
export type { EventName } from "./eventKinds.js"

/** A runtime event's Schema without its `_tag`. */
const payloadOf = <Tag extends string, F extends Schema.Struct.Fields>(s: Schema.TaggedStruct<Tag, F>) => {
  const { _tag: _, ...fields } = s.fields
  return Schema.Struct(fields)
}

/** `output` (`isFinal: false`) and `complete` (`isFinal: true`, the last event). @since 0.1.0 @category schemas */
export const OutputData = payloadOf(OutputEvent)
/** `error` about one output. @since 0.1.0 @category schemas */
export const OutputErrorData = payloadOf(OutputFailedEvent)
/** `error` ending the whole execution (deadline, shutdown, cancel): `missing` lists the outputs that never came. @since 0.1.0 @category schemas */
export const ExecutionErrorData = payloadOf(ExecutionFailedEvent)
/** @since 0.1.0 @category schemas */
export const ModuleStartedData = payloadOf(ModuleStartedEvent)
/** @since 0.1.0 @category schemas */
export const ModuleCompletedData = payloadOf(ModuleCompletedEvent)
/** @since 0.1.0 @category schemas */
export const ModuleFailedData = payloadOf(ModuleFailedEvent)
/** @since 0.1.0 @category schemas */
export const ModuleSkippedData = payloadOf(ModuleSkippedEvent)
/** @since 0.1.0 @category schemas */
export const ModuleRetryingData = payloadOf(ModuleRetryingEvent)
/** @since 0.1.0 @category schemas */
export const ProgressData = payloadOf(ProgressEvent)

/**
 * Every event name, with the Schema of its payload: the one table of the
 * wire's events.
 *
 * @since 0.1.0
 * @category schemas
 */
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
} as const satisfies { readonly [K in EventName]: Schema.Schema.Any }


const event = <K extends EventName>(name: K) => Schema.Struct({ event: Schema.Literal(name), data: eventSchemas[name] })

/**
 * An event as a client receives it, discriminated by `event`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StreamEvent = Schema.Union(
  event("output"),
  event("complete"),
  event("error"),
  event("module-started"),
  event("module-completed"),
  event("module-failed"),
  event("module-skipped"),
  event("module-retrying"),
  event("progress")
)

/**
 * One event of an execution's stream: `output` (a value is ready),
 * `complete` (the last output), `error` (an output failed, or with
 * `missing` the whole execution ended early), `module-*` and `progress`
 * (only when the request asked for `progress`).
 *
 * @since 0.1.0
 * @category models
 */
export type StreamEvent = typeof StreamEvent.Type

/** @since 0.1.0 @category models */
export type OutputData = typeof OutputData.Type
/** @since 0.1.0 @category models */
export type OutputErrorData = typeof OutputErrorData.Type
/** @since 0.1.0 @category models */
export type ExecutionErrorData = typeof ExecutionErrorData.Type
/** @since 0.1.0 @category models */
export type ProgressData = typeof ProgressData.Type

/**
 * An event ready to be written: its name, its id (an output's name) and its payload.
 *
 * @since 0.1.0
 * @category models
 */
export interface WireEvent {
  readonly event: EventName
  /** The output's name, for output events. */
  readonly id: string | undefined
  readonly data: Readonly<Record<string, unknown>>
}

const names: { readonly [T in ExecutionEvent["_tag"]]: EventName } = {
  Output: "output",
  OutputFailed: "error",
  ExecutionFailed: "error",
  ModuleStarted: "module-started",
  ModuleCompleted: "module-completed",
  ModuleFailed: "module-failed",
  ModuleSkipped: "module-skipped",
  ModuleRetrying: "module-retrying",
  Progress: "progress"
}

/** The wire name of a runtime event. @since 0.2.0 */
export const wireName = (e: ExecutionEvent): EventName =>
  e._tag === "Output" && e.isFinal ? "complete" : names[e._tag]

/**
 * The wire form of a runtime event.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toWire = (e: ExecutionEvent): WireEvent => {
  const { _tag: _, ...data } = e
  return { event: wireName(e), id: e._tag === "Output" || e._tag === "OutputFailed" ? e.name : undefined, data }
}
