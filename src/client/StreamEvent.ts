/**
 * The events of a streamed execution as a client receives them: the SSE
 * event name and its payload, typed by the Schemas the server encodes with
 * (`src/http/WireEvent.ts`), so both sides share one definition.
 *
 * @since 0.1.0
 */
import { Either, ParseResult, Schema } from "effect"
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
import { ProtocolError } from "./ClientError.js"

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

/** @since 0.1.0 @category models */
export type OutputData = typeof OutputData.Type
/** @since 0.1.0 @category models */
export type OutputErrorData = typeof OutputErrorData.Type
/** @since 0.1.0 @category models */
export type ExecutionErrorData = typeof ExecutionErrorData.Type
/** @since 0.1.0 @category models */
export type ProgressData = typeof ProgressData.Type

/** The name of a stream event. @since 0.1.0 @category models */
export type StreamEventName = StreamEvent["event"]

const knownNames: ReadonlySet<string> = new Set<StreamEventName>([
  "output",
  "complete",
  "error",
  "module-started",
  "module-completed",
  "module-failed",
  "module-skipped",
  "module-retrying",
  "progress"
])

const decodeStreamEvent = Schema.decodeUnknownEither(StreamEvent, { onExcessProperty: "ignore" })

/**
 * Decodes one SSE event (its name and its `data` text). An event name this
 * client does not know decodes to `undefined` (a newer server may send
 * more); a known name with a payload that does not fit is a `ProtocolError`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeEvent = (name: string, data: string): Either.Either<StreamEvent | undefined, ProtocolError> => {
  if (!knownNames.has(name)) return Either.right(undefined)
  return Either.try({
    try: (): unknown => JSON.parse(data),
    catch: () => new ProtocolError({ detail: `the data of a "${name}" event is not JSON: ${data.slice(0, 200)}` })
  }).pipe(Either.flatMap((payload) => decodePayload(name, payload)))
}

/**
 * `decodeEvent` for a payload already parsed (a WebSocket frame's fields).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodePayload = (name: string, payload: unknown): Either.Either<StreamEvent | undefined, ProtocolError> => {
  if (!knownNames.has(name)) return Either.right(undefined)
  return Either.mapLeft(decodeStreamEvent({ event: name, data: payload }), (e) =>
    new ProtocolError({
      detail: `a "${name}" event does not match its schema: ${ParseResult.TreeFormatter.formatErrorSync(e)}`
    }))
}

/**
 * Whether this is the execution's last event (`isFinal: true`): nothing
 * follows it.
 *
 * @since 0.1.0
 * @category guards
 */
export const isFinal = (e: StreamEvent): boolean =>
  (e.event === "output" || e.event === "complete" || e.event === "error") && e.data.isFinal

/**
 * Whether an `error` event ends the whole execution (a deadline, a
 * shutdown, a cancel) rather than reporting one failed output.
 *
 * @since 0.1.0
 * @category guards
 */
export const isExecutionError = (data: OutputErrorData | ExecutionErrorData): data is ExecutionErrorData =>
  "missing" in data
