/**
 * Text of an event-stream body in, typed events out: SSE framing is parsed
 * by `eventsource-parser`, each event's payload checked against the shape
 * of its Schema. The decoder remembers whether the final event arrived, so
 * the end of the body can be told apart from the end of the execution.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { createParser } from "eventsource-parser"
import { ProtocolError, StreamInterrupted } from "./ClientError.js"
import { decodeEvent, isFinal } from "./StreamEvent.js"
import type { StreamEvent } from "./StreamEvent.js"

/** The largest event (or unterminated line) accepted, in characters. */
export const MAX_EVENT_CHARS = 32 * 1024 * 1024

/** @since 0.1.0 @category models */
export interface EventDecoder {
  /** The events this chunk of the body completes; nothing after the final event. */
  readonly feed: (chunk: string) => Either.Either<ReadonlyArray<StreamEvent>, ProtocolError>
  /** Whether the final event has arrived. */
  readonly finished: () => boolean
  /** The error for a body that stops here; `cause` is the transport's error, if any. */
  readonly interrupted: (cause?: unknown) => StreamInterrupted
}

/**
 * A decoder for one response body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEventDecoder = (): EventDecoder => {
  let pending: Array<StreamEvent> = []
  let failure: ProtocolError | undefined
  let finished = false
  let received = 0
  let executionId: string | undefined

  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (message) => {
      if (finished || failure !== undefined) return
      const decoded = decodeEvent(message.event ?? "message", message.data)
      if (Either.isLeft(decoded)) {
        failure = decoded.left
        return
      }
      const event = decoded.right
      if (event === undefined) return
      received++
      executionId ??= event.data.executionId
      pending.push(event)
      if (isFinal(event)) finished = true
    },
    onError: (error) => {
      // Unknown fields are ignored, as the SSE specification asks; only an oversized event is fatal.
      if (error.type === "max-buffer-size-exceeded") failure ??= new ProtocolError({ detail: error.message })
    }
  })

  return {
    feed: (chunk) => {
      if (!finished && failure === undefined) parser.feed(chunk)
      if (failure !== undefined) return Either.left(failure)
      const out = pending
      pending = []
      return Either.right(out)
    },
    finished: () => finished,
    interrupted: (cause) => new StreamInterrupted({ executionId, received, cause })
  }
}
