/**
 * The events of a streamed execution as a client receives them (the type
 * `StreamEvent`; its Schema is the protocol's, `src/protocol/events.ts`),
 * decoded from the wire and inspected. Decoding checks each payload against
 * a shape generated from the protocol's Schemas (`internal/wireShapes.ts`),
 * and the guards come from the protocol's Schema-free `eventKinds.ts`,
 * which keeps Schema out of a browser's bundle.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { StreamEvent } from "../protocol/events.js"
import { ProtocolError } from "./ClientError.js"
import { formatIssue } from "./internal/Shape.js"
import { checkPayload, isKnownEvent } from "./internal/wire.js"

export { isExecutionError, isFinal } from "../protocol/eventKinds.js"
export type { ExecutionErrorData, OutputData, OutputErrorData, ProgressData, StreamEvent } from "../protocol/events.js"

/** The name of a stream event. @since 0.1.0 @category models */
export type StreamEventName = StreamEvent["event"]

/**
 * Decodes one SSE event (its name and its `data` text). An event name this
 * client does not know decodes to `undefined` (a newer server may send
 * more); a known name with a payload that does not fit is a `ProtocolError`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeEvent = (name: string, data: string): Either.Either<StreamEvent | undefined, ProtocolError> => {
  if (!isKnownEvent(name)) return Either.right(undefined)
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
  if (!isKnownEvent(name)) return Either.right(undefined)
  return Either.mapLeft(checkPayload(name, payload), (issue) =>
    new ProtocolError({ detail: `a "${name}" event does not match its schema: ${formatIssue(issue)}` }))
}
