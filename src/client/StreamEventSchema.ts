/**
 * The Schema of the events of a streamed execution as a client receives
 * them: the SSE event name and its payload, typed by the Schemas the server
 * encodes with (`src/http/WireEvent.ts`), so both sides share one
 * definition. The clients check events with shapes generated from these
 * Schemas (see `internal/Shape.ts`), so that a browser does not download
 * Schema; this module is for code that wants the Schema itself.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import {
  ExecutionErrorData,
  ModuleCompletedData,
  ModuleFailedData,
  ModuleRetryingData,
  ModuleSkippedData,
  ModuleStartedData,
  OutputData,
  OutputErrorData,
  ProgressData
} from "../http/WireEvent.js"

const event = <const K extends string, A, I>(name: K, data: Schema.Schema<A, I>) =>
  Schema.Struct({ event: Schema.Literal(name), data })

/**
 * Every event of an execution's stream, discriminated by `event`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StreamEvent = Schema.Union(
  event("output", OutputData),
  event("complete", OutputData),
  event("error", Schema.Union(OutputErrorData, ExecutionErrorData)),
  event("module-started", ModuleStartedData),
  event("module-completed", ModuleCompletedData),
  event("module-failed", ModuleFailedData),
  event("module-skipped", ModuleSkippedData),
  event("module-retrying", ModuleRetryingData),
  event("progress", ProgressData)
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
