/**
 * A log read as an Effect `Stream`: a reader whose writer is a `Mailbox`
 * the stream's consumer empties, a chunk at a time; the reader has room
 * while fewer than `maxBuffered` events wait in it. The stream ends after
 * the final event.
 */
import { Effect, Exit, Mailbox, Stream } from "effect"
import type { Scope } from "effect"
import { isFinalEvent } from "../ExecutionEvent.js"
import type { ExecutionEvent } from "../ExecutionEvent.js"
import type { ExecutionLog, LogWriter } from "../ExecutionLog.js"

export interface LogStream {
  readonly stream: Stream.Stream<ExecutionEvent>
  /**
   * Ends the stream after what it holds. A stream that holds the execution
   * back ends when the execution's fiber has (run it after `run`), so its
   * consumer never closes the scope under a finishing execution; any other
   * ends at the final event.
   */
  readonly end: Effect.Effect<void>
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
): Effect.Effect<LogStream, never, Scope.Scope> =>
  Effect.gen(function*() {
    const mailbox = yield* Mailbox.make<ExecutionEvent>()
    const capacity = Math.max(1, maxBuffered)
    let unread = 0
    let wake: (() => void) | undefined
    const writer: LogWriter = {
      write: (e) => {
        unread++
        mailbox.unsafeOffer(e)
        if (isFinalEvent(e) && !options.holdsExecution) mailbox.unsafeDone(Exit.void)
      },
      hasRoom: () => unread < capacity,
      onRoom: (w) => {
        wake = w
        return () => void (wake = undefined)
      }
    }
    const reader = log.read(writer, { holdsExecution: options.holdsExecution, after: options.after })
    yield* Effect.addFinalizer(() => Effect.sync(reader.close))
    const stream = Mailbox.toStream(mailbox).pipe(Stream.mapChunks((chunk) => {
      unread -= chunk.length
      const w = wake
      wake = undefined
      w?.()
      return chunk
    }))
    return { stream, end: Effect.asVoid(mailbox.end) }
  })
