/**
 * The sending side of a WebSocket session: each execution's log is read
 * onto the socket by a writer of its own (no Stream, no queue of ours),
 * held back for a client that reads slowly. An execution waits
 * while `maxBuffered` of its frames are not yet handed to the connection,
 * or while more than `highWaterBytes` are queued on the socket (every
 * execution of the session together); it goes on as frames leave.
 */
import type { ExecutionEvent } from "../../runtime/ExecutionEvent.js"
import type { LogWriter } from "../../runtime/ExecutionLog.js"

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
  private readonly waiting = new Set<WsExecutionWriter>()
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

  /** The writer of one execution, whose frames `frame` makes; `maxBuffered` of them may be unwritten before it waits. */
  writer(maxBuffered: number, frame: (e: ExecutionEvent) => string): WsExecutionWriter {
    return new WsExecutionWriter(this, maxBuffered, frame)
  }

  /** Lets waiting executions go on where they may (a frame left, or the re-check timer). */
  readonly wake = (): void => {
    for (const sink of this.waiting) sink.retry()
    if (this.waiting.size === 0 && this.recheck !== undefined) {
      clearInterval(this.recheck)
      this.recheck = undefined
    }
  }

  wait(sink: WsExecutionWriter): void {
    this.waiting.add(sink)
    this.recheck ??= setInterval(this.wake, RECHECK_MS)
  }

  unwait(sink: WsExecutionWriter): void {
    this.waiting.delete(sink)
  }

  /** Stops the re-check timer (the session ended). */
  close(): void {
    this.waiting.clear()
    this.wake()
  }
}

/** One execution's events, as frames of the session's socket. */
export class WsExecutionWriter implements LogWriter {
  private unwritten = 0
  private wakeReader: (() => void) | undefined

  constructor(
    private readonly outbox: WsOutbox,
    private readonly maxBuffered: number,
    private readonly frame: (e: ExecutionEvent) => string
  ) {}

  private get full(): boolean {
    return !this.outbox.closed && (this.unwritten >= this.maxBuffered || this.outbox.congested)
  }

  readonly write = (e: ExecutionEvent): void => {
    this.unwritten++
    this.outbox.send(this.frame(e), () => void this.unwritten--)
  }

  readonly hasRoom = (): boolean => !this.full

  readonly onRoom = (wake: () => void): (() => void) => {
    this.wakeReader = wake
    this.outbox.wait(this)
    return () => {
      this.wakeReader = undefined
      this.outbox.unwait(this)
    }
  }

  /** Wakes the waiting reader if there is room now. */
  retry(): void {
    const wake = this.wakeReader
    if (wake === undefined || this.full) return
    this.wakeReader = undefined
    this.outbox.unwait(this)
    wake()
  }
}
