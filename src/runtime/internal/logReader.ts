/**
 * One reader of an execution's log: its cursor (the next event to write,
 * the `seq` of the last one written) and its writer; it writes while the
 * writer has room, then waits to be woken. The log (ExecutionLog.ts) pumps
 * it after each append and forgets it once it has written the final event
 * or is closed.
 */
import type { ExecutionLog, LogReader, LogWriter } from "../ExecutionLog.js"
import { isFinalEvent as isFinal } from "../ExecutionEvent.js"

export class Reader implements LogReader {
  /** Index in the log's `events` of the next event to write. */
  next = 0
  position = -1
  ended = false
  closed = false
  /** Waiting for the writer to have room. */
  waiting = false
  private cancelWait: (() => void) | undefined = undefined

  constructor(
    readonly log: ExecutionLog,
    readonly writer: LogWriter,
    readonly holds: boolean,
    readonly onEnd: (() => void) | undefined
  ) {}

  get behind(): boolean {
    return !this.closed && this.next < this.log.events.length
  }

  /** Writes what the log has after the cursor, while the writer has room. */
  pump(): void {
    const events = this.log.events
    const writer = this.writer
    while (!this.closed && this.next < events.length) {
      if (!writer.hasRoom()) {
        this.waiting = true
        const cancel = writer.onRoom(this.wake)
        // The writer may have woken the reader already.
        if (this.waiting) this.cancelWait = cancel
        return
      }
      const e = events[this.next++]!
      this.position = e.seq
      writer.write(e)
      if (isFinal(e)) {
        this.ended = true
        // Nothing follows: the log lets go of the reader (and of its writer's connection).
        this.closed = true
        this.log.detach(this)
        this.onEnd?.()
        return
      }
    }
  }

  private readonly wake = (): void => {
    if (!this.waiting) return
    this.waiting = false
    this.cancelWait = undefined
    this.pump()
    // Caught up after a wait: the execution, held back meanwhile, may go on.
    if (this.holds && !this.waiting) this.log.caughtUp()
  }

  readonly close = (): void => {
    if (this.closed) return
    this.closed = true
    this.waiting = false
    this.cancelWait?.()
    this.cancelWait = undefined
    this.log.detach(this)
  }
}
