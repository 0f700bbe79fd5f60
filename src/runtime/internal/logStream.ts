/**
 * A log read as an Effect `Stream`: a reader whose writer is a buffer of
 * `maxBuffered` events that the stream's consumer empties, a chunk at a
 * time. The stream ends after the final event.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type { Scope } from "effect"
import { isFinalEvent } from "../ExecutionEvent.js"
import type { ExecutionEvent } from "../ExecutionEvent.js"
import type { ExecutionLog, LogReader, LogWriter } from "../ExecutionLog.js"

class BufferWriter implements LogWriter {
  buffer: Array<ExecutionEvent> = []
  reader: LogReader | undefined
  private wakeWriter: (() => void) | undefined
  private wakeConsumer: (() => void) | undefined

  constructor(private readonly capacity: number) {}

  /** The final event was written. */
  private ended = false

  readonly write = (event: ExecutionEvent): void => {
    this.buffer.push(event)
    if (isFinalEvent(event)) this.ended = true
    const wake = this.wakeConsumer
    this.wakeConsumer = undefined
    wake?.()
  }

  readonly hasRoom = (): boolean => this.buffer.length < this.capacity

  readonly onRoom = (wake: () => void): (() => void) => {
    this.wakeWriter = wake
    return () => void (this.wakeWriter = undefined)
  }

  /** The next chunk: what the buffer holds, waiting when it is empty; none after the final event. */
  readonly take: Effect.Effect<Chunk.Chunk<ExecutionEvent>, Option.Option<never>> = Effect.suspend(() => {
    if (this.buffer.length > 0) return Effect.succeed(this.drain())
    if (this.ended) return Effect.fail(Option.none())
    return Effect.async<Chunk.Chunk<ExecutionEvent>, Option.Option<never>>((resume) => {
      this.wakeConsumer = () => resume(Effect.succeed(this.drain()))
      return Effect.sync(() => void (this.wakeConsumer = undefined))
    })
  })

  private drain(): Chunk.Chunk<ExecutionEvent> {
    const events = this.buffer
    this.buffer = []
    const wake = this.wakeWriter
    this.wakeWriter = undefined
    wake?.()
    return Chunk.unsafeFromArray(events)
  }
}

/**
 * Reads `log` from its first event as a stream. With `holdsExecution` the
 * execution waits while `maxBuffered` events are not yet taken by the
 * consumer. The reader is closed when the stream's scope closes.
 */
export const readAsStream = (
  log: ExecutionLog,
  maxBuffered: number,
  options: { readonly holdsExecution?: boolean; readonly after?: number } = {}
): Effect.Effect<Stream.Stream<ExecutionEvent>, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => {
        const writer = new BufferWriter(Math.max(1, maxBuffered))
        writer.reader = log.read(writer, { holdsExecution: options.holdsExecution, after: options.after })
        return writer
      }),
      (writer) => Effect.sync(() => writer.reader?.close())
    ),
    (writer) => Stream.repeatEffectChunkOption(writer.take)
  )
