/**
 * The sending side of a WebSocket session: each execution writes its
 * events onto the socket from its own callbacks (no Stream, no queue of
 * ours), held back for a client that reads slowly. An execution waits
 * while `maxBuffered` of its frames are not yet handed to the connection,
 * or while more than `highWaterBytes` are queued on the socket (every
 * execution of the session together); it goes on as frames leave.
 */
import { Effect } from "effect"
import type { EventSink } from "../runtime/Execution.js"
import type { ExecutionEvent } from "../runtime/ExecutionEvent.js"

/** What the session needs of the server's WebSocket (the `ws` library's). */
export interface WsConnection {
  readonly readyState: number
  readonly bufferedAmount: number
  /** `done` is called once the frame is written to the connection, or dropped because it closed. */
  send(data: string, done?: (error?: Error) => void): void
}

const OPEN = 1
/** How often waiting executions look again at a congested socket, should no frame of theirs leave meanwhile. */
const RECHECK_MS = 10

/** Whether `u` is a WebSocket the outbox can send on. */
export const isWsConnection = (u: unknown): u is WsConnection =>
  typeof u === "object" && u !== null && typeof (u as { send?: unknown }).send === "function" &&
  typeof (u as { bufferedAmount?: unknown }).bufferedAmount === "number"

export class WsOutbox {
  private readonly waiting = new Set<WsExecutionSink>()
  private recheck: ReturnType<typeof setInterval> | undefined
  /** Frames sent and not yet reported written, all executions together. */
  private unwritten = 0
  /** Whether `send` reports written frames (the `ws` library's does); if not, only the socket's queued bytes count. */
  readonly acknowledges: boolean

  constructor(private readonly socket: WsConnection, private readonly highWaterBytes: number) {
    this.acknowledges = socket.send.length >= 2
  }

  /** More bytes are queued on the open socket than its high-water mark. */
  get congested(): boolean {
    return this.socket.readyState === OPEN && this.socket.bufferedAmount > this.highWaterBytes
  }

  /** Frames of ours are still on their way to the client (queued in the socket, or not yet reported written). */
  get pending(): boolean {
    return this.unwritten > 0 || this.socket.bufferedAmount > 0
  }

  /** The socket is closing or closed: frames are dropped, nobody needs to wait. */
  get closed(): boolean {
    return this.socket.readyState > OPEN
  }

  /** Sends `text`; `left` runs once it has left (at once when the socket does not report it). */
  send(text: string, left: () => void): void {
    if (!this.acknowledges) {
      this.socket.send(text)
      return left()
    }
    this.unwritten++
    this.socket.send(text, () => {
      this.unwritten--
      left()
      this.wake()
    })
  }

  /** The sink of one execution, whose frames `frame` makes; `maxBuffered` of them may be unwritten before it waits. */
  sink(maxBuffered: number, frame: (e: ExecutionEvent) => string): WsExecutionSink {
    return new WsExecutionSink(this, maxBuffered, frame)
  }

  /** Lets waiting executions go on where they may (a frame left, or the re-check timer). */
  readonly wake = (): void => {
    for (const sink of this.waiting) sink.retry()
    if (this.waiting.size === 0 && this.recheck !== undefined) {
      clearInterval(this.recheck)
      this.recheck = undefined
    }
  }

  wait(sink: WsExecutionSink): void {
    this.waiting.add(sink)
    this.recheck ??= setInterval(this.wake, RECHECK_MS)
  }

  unwait(sink: WsExecutionSink): void {
    this.waiting.delete(sink)
  }

  /** Stops the re-check timer (the session ended). */
  close(): void {
    this.waiting.clear()
    this.wake()
  }
}

/** One execution's events, as frames of the session's socket. */
export class WsExecutionSink implements EventSink {
  private unwritten = 0
  private resume: (() => void) | undefined

  constructor(
    private readonly outbox: WsOutbox,
    private readonly maxBuffered: number,
    private readonly frame: (e: ExecutionEvent) => string
  ) {}

  private get full(): boolean {
    return !this.outbox.closed && (this.unwritten >= this.maxBuffered || this.outbox.congested)
  }

  private deliver(e: ExecutionEvent): void {
    this.unwritten++
    this.outbox.send(this.frame(e), () => void this.unwritten--)
  }

  readonly unsafeOffer = (e: ExecutionEvent): boolean => {
    if (this.full) return false
    this.deliver(e)
    return true
  }

  readonly offer = (e: ExecutionEvent): Effect.Effect<void> =>
    Effect.async<void>((resume) => {
      if (!this.full) {
        this.deliver(e)
        return resume(Effect.void)
      }
      this.resume = () => {
        this.deliver(e)
        resume(Effect.void)
      }
      this.outbox.wait(this)
      return Effect.sync(() => {
        this.resume = undefined
        this.outbox.unwait(this)
      })
    })

  /** Sends the waiting event if there is room now. */
  retry(): void {
    const resume = this.resume
    if (resume === undefined || this.full) return
    this.resume = undefined
    this.outbox.unwait(this)
    resume()
  }
}
