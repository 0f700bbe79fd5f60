/**
 * The events of a streamed execution as a client receives them, decoded
 * with the protocol's Schemas (`src/protocol/events.ts`), the ones the
 * server encodes with.
 *
 * @since 0.1.0
 */
import { Either, ParseResult, Schema } from "effect"
import { eventNames, StreamEvent } from "../protocol/events.js"
import { ProtocolError } from "./ClientError.js"

export { isExecutionError, isFinal, StreamEvent } from "../protocol/events.js"
export type { ExecutionErrorData, OutputData, OutputErrorData, ProgressData } from "../protocol/events.js"

/** The name of a stream event. @since 0.1.0 @category models */
export type StreamEventName = StreamEvent["event"]

const knownNames: ReadonlySet<string> = new Set(eventNames)

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
