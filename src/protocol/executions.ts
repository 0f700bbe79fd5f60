/**
 * Executions as resources: the bodies of `POST /executions`,
 * `GET /executions`, `GET /executions/{id}`, and the two events of
 * `GET /executions/{id}/events` that are not execution events: `snapshot`
 * (what a reader joining without a position gets first) and `resync` (its
 * position could not be honoured; a snapshot follows).
 *
 * @since 0.3.0
 */
import { Schema } from "effect"
import { ValueSchema } from "../lang/dag.js"
import { safeRecord } from "../lang/safeRecord.js"
import { ErrorInfo } from "../runtime/ExecutionEvent.js"
import { DisconnectPolicy } from "./api.js"
import { OutputData, OutputErrorData, ProgressData } from "./events.js"

/** How an execution was started. @since 0.3.0 @category schemas */
export const ExecutionMode = Schema.Literal("stream", "websocket", "resource")
export type ExecutionMode = typeof ExecutionMode.Type

/** `running`, then the batch result's status once it has ended. @since 0.3.0 @category schemas */
export const ExecutionStatus = Schema.Literal("running", "completed", "partial", "failed")
export type ExecutionStatus = typeof ExecutionStatus.Type

/** An output's status so far: `pending` until its value or error is known. @since 0.3.0 @category schemas */
export const OutputProgress = Schema.Literal("pending", "succeeded", "fallback", "failed", "missing")
export type OutputProgress = typeof OutputProgress.Type

/**
 * `POST /executions` (201): the execution's id and where to read its
 * events (with a `token` query parameter when the server requires API
 * keys, for an `EventSource`, which cannot send headers).
 *
 * @since 0.3.0
 * @category schemas
 */
export const ExecutionCreated = Schema.Struct({
  executionId: Schema.String,
  /** The execution's resource, `/executions/{id}`. */
  location: Schema.String,
  /** Its events, `/executions/{id}/events` (with `?token=` when keys are on). */
  events: Schema.String,
  status: ExecutionStatus
}).annotations({ identifier: "ExecutionCreated" })
export type ExecutionCreated = typeof ExecutionCreated.Type

/**
 * `GET /executions/{id}`: the batch result's shape so far (`status` is
 * `running` until the end, undecided outputs are `pending`), with how it
 * runs and its timings.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ExecutionState = Schema.Struct({
  executionId: Schema.String,
  status: ExecutionStatus,
  outputs: safeRecord(ValueSchema),
  errors: safeRecord(ErrorInfo),
  outputStatus: safeRecord(OutputProgress),
  mode: ExecutionMode,
  onDisconnect: DisconnectPolicy,
  /** Readers following its events now. */
  subscribers: Schema.Int,
  /** ISO 8601. */
  startedAt: Schema.String,
  /** ISO 8601, once it has ended. */
  finishedAt: Schema.NullOr(Schema.String),
  /** Milliseconds from the start to the end (or to now, while it runs). */
  durationMs: Schema.Number,
  /** The `seq` of its last event so far. */
  lastSeq: Schema.Int
}).annotations({ identifier: "ExecutionState" })
export type ExecutionState = typeof ExecutionState.Type

/** One line of `GET /executions`. @since 0.3.0 @category schemas */
export const ExecutionSummary = Schema.Struct({
  executionId: Schema.String,
  status: ExecutionStatus,
  mode: ExecutionMode,
  startedAt: Schema.String,
  finishedAt: Schema.NullOr(Schema.String),
  /** Declared outputs, and how many have a value. */
  outputs: Schema.Int,
  succeeded: Schema.Int
})
export type ExecutionSummary = typeof ExecutionSummary.Type

/**
 * `GET /executions`: the retained executions, newest first; `next` is the
 * `before` of the following page (absent on the last).
 *
 * @since 0.3.0
 * @category schemas
 */
export const ExecutionList = Schema.Struct({
  executions: Schema.Array(ExecutionSummary),
  next: Schema.optionalWith(Schema.String, { exact: true })
}).annotations({ identifier: "ExecutionList" })
export type ExecutionList = typeof ExecutionList.Type

/** A result event inside a snapshot: its wire name and payload. @since 0.3.0 @category schemas */
export const SnapshotResult = Schema.Union(
  Schema.Struct({ event: Schema.Literal("output"), data: OutputData }),
  Schema.Struct({ event: Schema.Literal("error"), data: OutputErrorData })
)

/**
 * The `snapshot` event: every result so far in order (the final event
 * excepted: it follows as itself), each output's status and the newest
 * progress count. Its `seq` (also its SSE id) is the last event it covers;
 * the live tail continues after it.
 *
 * @since 0.3.0
 * @category schemas
 */
export const SnapshotData = Schema.Struct({
  executionId: Schema.String,
  seq: Schema.Int,
  results: Schema.Array(SnapshotResult),
  outputStatus: safeRecord(OutputProgress),
  progress: Schema.NullOr(ProgressData),
  /** Whether the execution has ended (its final event follows). */
  finished: Schema.Boolean
}).annotations({ identifier: "SnapshotData" })
export type SnapshotData = typeof SnapshotData.Type

/**
 * The `resync` event: the position the reader asked for cannot be resumed
 * from (an id this execution never sent); discard what you hold, a
 * `snapshot` follows.
 *
 * @since 0.3.0
 * @category schemas
 */
export const ResyncData = Schema.Struct({
  executionId: Schema.String,
  reason: Schema.Literal("unknown_event_id"),
  lastEventId: Schema.String,
  message: Schema.String
}).annotations({ identifier: "ResyncData" })
export type ResyncData = typeof ResyncData.Type

/**
 * The codes of the `error` event that ends a whole execution early (its
 * `missing` lists the outputs never delivered; every output delivered
 * before it stands): `cancelled` (a request or the client), `deadline_exceeded`,
 * `shutting_down` (the server's grace period ended), `lease_expired`
 * (nobody followed an execution that continues without a listener), and
 * `instance_lost` (with several instances: the one running it stopped
 * sending its heartbeat, e.g. it was killed). A newer server may add codes:
 * any `error` with `missing` is final.
 *
 * @since 0.4.0
 * @category schemas
 */
export const ExecutionEndCode = Schema.Literal("cancelled", "deadline_exceeded", "shutting_down", "lease_expired", "instance_lost")
export type ExecutionEndCode = typeof ExecutionEndCode.Type

/** The `instance_lost` end. @since 0.4.0 */
export const INSTANCE_LOST = "instance_lost" satisfies ExecutionEndCode

/**
 * The error of an execution whose instance was lost: another instance
 * ends it for its readers, keeping what was delivered.
 *
 * @since 0.4.0
 * @category constructors
 */
export const instanceLostError = (instanceId: string): { readonly code: string; readonly message: string; readonly module: null } => ({
  code: INSTANCE_LOST,
  message: `the instance running the execution (${instanceId}) stopped sending its heartbeat; the outputs it delivered are kept`,
  module: null
})
