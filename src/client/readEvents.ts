/**
 * An event-stream response body as an async iterator of typed events. It
 * ends after the final event; a body that stops before it throws
 * `StreamInterrupted`. Leaving the loop early (`break`, a throw) cancels
 * the body, which closes the connection and so cancels the execution on
 * the server.
 */
import { Either } from "effect"
import { Aborted, ProtocolError } from "./ClientError.js"
import { makeEventDecoder } from "./EventDecoder.js"
import type { FrameDecoder } from "./EventDecoder.js"
import { isEventStream } from "./responseBody.js"
import type { StreamEvent } from "./StreamEvent.js"

export async function* readEvents(
  response: Response,
  options: { readonly signal?: AbortSignal | undefined; readonly onClose?: () => void }
): AsyncGenerator<StreamEvent, void, undefined> {
  yield* readFrames(response, makeEventDecoder(), options)
}

/** `readEvents` with another decoder (a followed execution's frames). */
export async function* readFrames<F>(
  response: Response,
  decoder: FrameDecoder<F>,
  options: { readonly signal?: AbortSignal | undefined; readonly onClose?: () => void }
): AsyncGenerator<F, void, undefined> {
  const contentType = response.headers.get("content-type")
  try {
    if (!isEventStream(contentType)) {
      throw new ProtocolError({ detail: `expected text/event-stream, got "${contentType ?? "no content type"}"` })
    }
    if (response.body === null) throw decoder.interrupted()
    const reader = response.body.getReader()
    const text = new TextDecoder()
    try {
      while (!decoder.finished()) {
        let chunk: ReadableStreamReadResult<Uint8Array>
        try {
          chunk = await reader.read()
        } catch (cause) {
          const signal = options.signal
          throw signal?.aborted === true ? new Aborted({ reason: signal.reason }) : decoder.interrupted(cause)
        }
        const events = decoder.feed(chunk.done ? text.decode() : text.decode(chunk.value, { stream: true }))
        if (Either.isLeft(events)) throw events.left
        yield* events.right
        if (chunk.done && !decoder.finished()) throw decoder.interrupted()
      }
    } finally {
      reader.cancel().catch(() => undefined)
    }
  } finally {
    options.onClose?.()
  }
}
