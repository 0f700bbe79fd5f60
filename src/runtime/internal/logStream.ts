/**
 * A log read as an Effect `Stream`: a reader whose writer is a buffer of
 * `maxBuffered` events that the stream's consumer empties, all it holds at
 * each pull, through one channel loop (as `Mailbox.toStream` does): no
 * extra stream stage and no scope finalizer, each of which cost about
 * 0.1 ms per execution.
 */
import { Channel, Chunk, Effect, Stream } from "effect"
import { isFinalEvent } from "../ExecutionEvent.js"
import type { ExecutionEvent } from "../ExecutionEvent.js"
import type { ExecutionLog, LogWriter } from "../ExecutionLog.js"

class BufferWriter implements LogWriter {
  private buffer: Array<ExecutionEvent> = []
  private wakeWriter: (() => void) | undefined
  private wakeConsumer: (() => void) | undefined
  /** No more events come: the final one was written (`endsAtFinal`), or `end` was called. */
  private ended = false

  constructor(private readonly capacity: number, private readonly endsAtFinal: boolean) {}

  readonly write = (event: ExecutionEvent): void => {
    this.buffer.push(event)
    if (isFinalEvent(event)) {
      if (this.endsAtFinal) this.ended = true
      // Else `end` follows as soon as the execution's fiber has ended: one wake for both, not two.
      else return
    }
    this.wakeUpConsumer()
  }

  readonly hasRoom = (): boolean => this.buffer.length < this.capacity

  readonly onRoom = (wake: () => void): (() => void) => {
    this.wakeWriter = wake
    return () => void (this.wakeWriter = undefined)
  }

  readonly end = (): void => {
    this.ended = true
    this.wakeUpConsumer()
  }

  private wakeUpConsumer(): void {
    const wake = this.wakeConsumer
    this.wakeConsumer = undefined
    wake?.()
  }

  /** What the buffer holds (waiting while it is empty and more may come), and whether nothing follows. */
  readonly takeAll: Effect.Effect<readonly [Chunk.Chunk<ExecutionEvent>, boolean]> = Effect.suspend(() =>
    this.buffer.length > 0 || this.ended
      ? Effect.succeed(this.drain())
      : Effect.async<readonly [Chunk.Chunk<ExecutionEvent>, boolean]>((resume) => {
        // Through a local: a function literal assigned to a property is allocated in the old generation (test/architecture/pretenuredClosures.test.ts).
        const wake = () => resume(Effect.succeed(this.drain()))
        this.wakeConsumer = wake
        return Effect.sync(() => void (this.wakeConsumer = undefined))
      })
  )

  private drain(): readonly [Chunk.Chunk<ExecutionEvent>, boolean] {
    const events = this.buffer
    const ended = this.ended
    this.buffer = []
    const wake = this.wakeWriter
    this.wakeWriter = undefined
    // The writer may write more (the final event too) into the fresh buffer
    // at once: those go with the next take, so `ended` is read before.
    wake?.()
    return [Chunk.unsafeFromArray(events), ended]
  }
}

export interface LogStream {
  readonly stream: Stream.Stream<ExecutionEvent>
  /** The same as a channel, for a caller that builds its stream at the channel level. */
  readonly channel: Channel.Channel<Chunk.Chunk<ExecutionEvent>>
  /**
   * Ends the stream after what it holds. A stream that holds the execution
   * back ends when the execution's fiber has (run it after `run`), so its
   * consumer never closes the scope under a finishing execution; any other
   * ends at the final event.
   */
  readonly end: Effect.Effect<void>
  /** Stops this reader (a consumer that stopped early); the execution goes on. */
  readonly close: () => void
}

/**
 * Reads `log` from its first event as a stream. With `holdsExecution` the
 * execution waits while `maxBuffered` events are not yet taken by the
 * consumer. The reader is not closed with the stream: when the consumer
 * stops early, the scope's closing interrupts the execution, which ends
 * the log, and the reader goes with it.
 */
export const readAsStream = (
  log: ExecutionLog,
  maxBuffered: number,
  options: { readonly holdsExecution?: boolean; readonly after?: number | undefined } = {}
): LogStream => {
  const writer = new BufferWriter(Math.max(1, maxBuffered), options.holdsExecution !== true)
  const reader = log.read(writer, { holdsExecution: options.holdsExecution, after: options.after })
  const loop: Channel.Channel<Chunk.Chunk<ExecutionEvent>> = Channel.flatMap(
    Channel.fromEffect(writer.takeAll),
    ([events, done]) =>
      done
        ? Chunk.isEmpty(events) ? Channel.void : Channel.write(events)
        : Channel.zipRight(Channel.write(events), loop)
  )
  return { stream: Stream.fromChannel(loop), channel: loop, end: Effect.sync(writer.end), close: reader.close }
}
