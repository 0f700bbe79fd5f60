/**
 * Text of an event-stream body in, typed events out: SSE framing is parsed
 * by `eventsource-parser`, each event's payload checked against the shape
 * of its Schema. The decoder remembers whether the final event arrived, so
 * the end of the body can be told apart from the end of the execution.
 * The same decoder, given another kind of frame, reads a followed
 * execution's events with its `snapshot` and `resync` (`FollowFrame.ts`).
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

/**
 * A decoder of one response body into frames of type `F`.
 *
 * @since 0.3.0
 * @category models
 */
export interface FrameDecoder<F> {
  /** The frames this chunk of the body completes; nothing after the final one. */
  readonly feed: (chunk: string) => Either.Either<ReadonlyArray<F>, ProtocolError>
  /** Whether the final frame has arrived. */
  readonly finished: () => boolean
  /** The error for a body that stops here; `cause` is the transport's error, if any. */
  readonly interrupted: (cause?: unknown) => StreamInterrupted
}

/** @since 0.1.0 @category models */
export type EventDecoder = FrameDecoder<StreamEvent>

/** What a decoder needs to know of its frames. */
export interface FrameKind<F extends { readonly data: { readonly executionId: string } }> {
  /** The frame of one SSE event (name and data text); undefined for an event to skip. */
  readonly decode: (name: string, data: string) => Either.Either<F | undefined, ProtocolError>
  /** Whether nothing follows this frame. */
  readonly isLast: (frame: F) => boolean
}

/**
 * A decoder for one response body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEventDecoder = (): EventDecoder => makeFrameDecoder({ decode: decodeEvent, isLast: isFinal })

/** A decoder of frames of kind `kind` for one response body. */
export const makeFrameDecoder = <F extends { readonly data: { readonly executionId: string } }>(kind: FrameKind<F>): FrameDecoder<F> => {
  let pending: Array<F> = []
  let failure: ProtocolError | undefined
  let finished = false
  let received = 0
  let executionId: string | undefined

  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (message) => {
      if (finished || failure !== undefined) return
      const decoded = kind.decode(message.event ?? "message", message.data)
      if (Either.isLeft(decoded)) {
        failure = decoded.left
        return
      }
      const event = decoded.right
      if (event === undefined) return
      received++
      executionId ??= event.data.executionId
      pending.push(event)
      if (kind.isLast(event)) finished = true
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
