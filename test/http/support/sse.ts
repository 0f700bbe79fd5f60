/**
 * Reading Server-Sent Events in tests with a real SSE client library
 * (`eventsource-parser`), never a parser of ours.
 */
import { EventSourceParserStream } from "eventsource-parser/stream"

export interface ReceivedEvent {
  readonly event: string | undefined
  readonly id: string | undefined
  readonly data: Record<string, unknown>
  /** `performance.now()` when the event was parsed. */
  readonly at: number
}

export interface Received {
  readonly events: ReadonlyArray<ReceivedEvent>
  readonly comments: ReadonlyArray<string>
}

/** The events of a response body as they arrive; `onComment` sees comment lines. */
export async function* eventsOf(response: Response, onComment?: (comment: string) => void): AsyncGenerator<ReceivedEvent> {
  if (response.body === null) throw new Error("the response has no body")
  const stream = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream(onComment === undefined ? {} : { onComment }))
  const reader = stream.getReader()
  try {
    while (true) {
      const next = await reader.read()
      if (next.done) return
      const message = next.value
      yield { event: message.event, id: message.id, data: JSON.parse(message.data) as Record<string, unknown>, at: performance.now() }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

/** Every event and comment of a response, read to its end. */
export const readAll = async (response: Response): Promise<Received> => {
  const events: Array<ReceivedEvent> = []
  const comments: Array<string> = []
  for await (const e of eventsOf(response, (c) => comments.push(c))) events.push(e)
  return { events, comments }
}

/** A JSON POST. */
export const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body)
})
