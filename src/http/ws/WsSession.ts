/**
 * One WebSocket connection: a client runs and cancels any number of
 * executions at once. Frames are handled in the order they arrive; every
 * answer is a JSON frame `{"type": <SSE event name>, "id": <client id>, ...data}`.
 * A bad frame gets an `error` frame and the socket stays open. Closing the
 * socket interrupts every execution it started.
 *
 * Each execution's log is read straight onto the socket (`WsOutbox`). A
 * client that reads slowly holds them back: an execution waits while
 * `maxBuffered` of its frames are not yet written to the connection, and
 * every execution while more than `HIGH_WATER_BYTES` are queued on the
 * socket, until the client catches up. A client that sends frames
 * faster than they are handled is cut off (1008) once more than
 * `PENDING_FRAMES_LIMIT` frames' worth of bytes wait, and one sending a
 * single frame larger than that is disconnected before all of it arrives.
 */
import * as Socket from "@effect/platform/Socket"
import { Duration, Effect, Either, Fiber, Option, Queue } from "effect"
import type { Scope } from "effect"
import type { Duplex } from "node:stream"
import { eventFrame, refusalFrame, WsCancelFrame, WsExecuteFrame } from "../../protocol/frames.js"
import type { RefusalFrame, WsExecuteFrame as WsExecute } from "../../protocol/frames.js"
import { decodeWith, parseJson } from "../routes/requestBody.js"
import type { RetainedShape } from "../executions/Retained.js"
import type { ExecutionHandle, ExecutionsShape } from "../executions/Executions.js"
import type { LogReader } from "../../runtime/ExecutionLog.js"
import { BodyTooLarge, DuplicateExecutionId, InvalidRequest, MalformedJson, toBody, UnknownExecution } from "../HttpError.js"
import type { HttpError } from "../HttpError.js"
import type { LifecycleShape } from "../server/Lifecycle.js"
import type { MetricsShape } from "../ops/Metrics.js"
import { toWire } from "../../protocol/events.js"
import { startHeartbeat } from "./wsHeartbeat.js"
import type { Heartbeat } from "./wsHeartbeat.js"
import { isWsConnection, WsOutbox } from "./WsOutbox.js"
import type { WsConnection } from "./WsOutbox.js"
import { DEFAULT_MAX_BUFFERED } from "../../runtime/Engine.js"

export interface SessionContext {
  readonly executions: ExecutionsShape
  readonly retained: RetainedShape
  readonly lifecycle: LifecycleShape
  readonly metrics: MetricsShape
  readonly maxFrameBytes: number
  /** How often the socket is pinged (`HEARTBEAT_INTERVAL_MS`). */
  readonly heartbeatIntervalMs: number
}

/** The `error` frame of a request refused before it ran (or of a bad frame, with `id` null). */
export const errorFrame = (id: string | null, error: HttpError): RefusalFrame => refusalFrame(id, toBody(error))

interface Running {
  handle: ExecutionHandle | undefined
  reader: LogReader | undefined
  /** Stops counting this socket as a reader of the execution (its lease). */
  leave?: (() => void) | undefined
  fiber: Fiber.RuntimeFiber<void> | undefined
}

/** Whether the execution has ended for its client: its final event is in the log. */
const ended = (state: Running): boolean => state.handle?.log.finished === true

/** The error of an execution cancelled by its client's `cancel` frame. */
const cancelledByClient = { code: "cancelled", message: "the execution was cancelled by the client", module: null }

/** Bytes queued for the client above which its executions wait for it to read. */
export const HIGH_WATER_BYTES = 1024 * 1024
/** How many maximal frames may wait to be handled before the client is cut off. */
export const PENDING_FRAMES_LIMIT = 4

/** A connection written through the platform's socket writer (no queued bytes or write reports known). */
const throughWriter = (write: (chunk: string) => Effect.Effect<void, unknown>): WsConnection => ({
  readyState: 1,
  bufferedAmount: 0,
  send: (data) => Effect.runFork(Effect.ignore(write(data)))
})

const sizeOf = (data: string | Uint8Array): number => (typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.byteLength)

/** Stands in the inbox for a frame over the size limit, which is dropped at once. */
const TOO_LARGE = Symbol("TooLarge")
type Received = string | Uint8Array | typeof TOO_LARGE

const decodeExecute = decodeWith(WsExecuteFrame)
const decodeCancel = decodeWith(WsCancelFrame)

const typeOf = (u: unknown): unknown =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? (u as Record<string, unknown>)["type"] : undefined

/**
 * Watches the bytes arriving on the connection under a WebSocket: past
 * `limit` since the last complete frame, it is destroyed. The WebSocket
 * library would otherwise take in up to 100 MiB of a single frame before
 * handing it over (its limit cannot be set through the platform). Returns
 * the function to call on every complete frame.
 */
export const guardIncoming = (connection: Duplex | undefined, limit: number): () => void => {
  let since = 0
  connection?.on("data", (chunk: Uint8Array) => {
    since += chunk.byteLength
    if (since > limit) connection.destroy()
  })
  return () => void (since = 0)
}

/** Serves one upgraded socket until it closes (or the server has drained); `connection` is the socket under it. */
export const runSession = (socket: Socket.Socket, ctx: SessionContext, connection?: Duplex): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const write = yield* socket.writer
    // Where executions write, made on the first frame (before it, nothing runs): the server's
    // own WebSocket when it is the `ws` library's, else one written through the platform's writer.
    let outbox: WsOutbox | undefined
    let heartbeat: Heartbeat | undefined
    const drained = Effect.gen(function*() {
      while (outbox?.congested === true) yield* Effect.sleep(Duration.millis(10))
    })
    /** Sends a frame of the session's own (an error, a cancellation), then waits while the socket is congested. */
    const send = (frame: RefusalFrame) => Effect.zipRight(Effect.ignore(write(JSON.stringify(frame))), drained)
    const running = new Map<string, Running>()
    // Closing the session interrupts every execution it started (after the frame loop has stopped),
    // but those asked to continue (`onDisconnect: "continue"`): it only stops reading them.
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        heartbeat?.stop()
        outbox?.close()
        const stopping: Array<Fiber.RuntimeFiber<void>> = []
        for (const s of running.values()) {
          if (s.handle?.retained.onDisconnect === "continue") {
            s.reader?.close()
            s.leave?.()
          } else if (s.fiber !== undefined) stopping.push(s.fiber)
        }
        return Fiber.interruptAll(stopping)
      })
    )
    // Each frame with its size in bytes (0 for one dropped as too large).
    const inbox = yield* Queue.unbounded<readonly [Received, number]>()
    const maxPendingBytes = PENDING_FRAMES_LIMIT * ctx.maxFrameBytes
    let pendingBytes = 0
    let cutOff = false
    const frameReceived = guardIncoming(connection, maxPendingBytes)

    /** The writer of execution `id`: each event a frame, written as it comes. */
    const writerOf = (id: string, request: WsExecute) =>
      outbox!.writer(request.maxBuffered ?? DEFAULT_MAX_BUFFERED, (e) => {
        const wire = toWire(e)
        ctx.metrics.countEventSent(wire.event)
        return eventFrame(id, wire)
      })

    const startExecution = (request: WsExecute) =>
      Effect.suspend(() => {
        const id = request.id ?? crypto.randomUUID()
        if (running.has(id)) {
          return send(errorFrame(id, new DuplicateExecutionId({ message: `An execution with id "${id}" is already running on this socket.`, id })))
        }
        const state: Running = { handle: undefined, reader: undefined, fiber: undefined }
        running.set(id, state)
        return ctx.executions.prepare(request, "websocket").pipe(
          Effect.map((handle) => {
            state.handle = handle
            state.leave = ctx.retained.subscribe(handle.retained)
            state.reader = handle.log.read(writerOf(id, request), {
              holdsExecution: handle.retained.onDisconnect !== "continue",
              onEnd: state.leave
            })
            const fiber = handle.start()
            state.fiber = fiber
            fiber.addObserver(() => {
              state.leave?.()
              if (running.get(id) === state) running.delete(id)
            })
          }),
          // A started execution is always known to the session, which interrupts it on closing.
          Effect.uninterruptible,
          Effect.catchAll((error) => {
            running.delete(id)
            return send(errorFrame(id, error))
          })
        )
      })

    const cancel = (id: string) =>
      Effect.suspend(() => {
        const state = running.get(id)
        if (state === undefined || state.handle === undefined || ended(state)) {
          return send(errorFrame(id, new UnknownExecution({ message: `No execution with id "${id}" is running on this socket.`, id })))
        }
        running.delete(id)
        // The final `cancelled` event goes out through the execution's own reader, numbered like every other.
        return state.handle.cancel(cancelledByClient)
      })

    const dispatch = (data: Received): Effect.Effect<void> => {
      if (data === TOO_LARGE) {
        const message = `The frame is larger than the limit of ${ctx.maxFrameBytes} bytes.`
        return send(errorFrame(null, new BodyTooLarge({ message, limit: ctx.maxFrameBytes })))
      }
      if (typeof data !== "string") {
        return send(errorFrame(null, new MalformedJson({ message: "Binary frames are not accepted: send JSON text frames." })))
      }
      const json = parseJson(data)
      if (Either.isLeft(json)) return send(errorFrame(null, json.left))
      const type = typeOf(json.right)
      if (type === "cancel") {
        const frame = decodeCancel(json.right)
        return Either.isLeft(frame) ? send(errorFrame(null, frame.left)) : cancel(frame.right.id)
      }
      if (type === undefined || type === "execute") {
        const frame = decodeExecute(json.right)
        return Either.isLeft(frame) ? send(errorFrame(idOf(json.right), frame.left)) : startExecution(frame.right)
      }
      const message = "Unknown frame type: expected \"execute\" or \"cancel\"."
      return send(errorFrame(idOf(json.right), new InvalidRequest({ message, issues: [{ path: "type", message }] })))
    }

    const receive = (data: string | Uint8Array): Effect.Effect<void> | void => {
      frameReceived()
      heartbeat?.alive()
      if (cutOff) return
      const size = sizeOf(data)
      const frame: readonly [Received, number] = size > ctx.maxFrameBytes ? [TOO_LARGE, 0] : [data, size]
      pendingBytes += frame[1]
      if (pendingBytes > maxPendingBytes) {
        cutOff = true
        return Effect.ignore(write(new Socket.CloseEvent(1008, "too many frames waiting to be handled")))
      }
      Queue.unsafeOffer(inbox, frame)
      // Runs at once (synchronously, in a fiber of the socket's), before the frame is handled.
      if (outbox === undefined) {
        return Effect.map(Effect.serviceOption(Socket.WebSocket), (ws) => {
          const connection = Option.getOrUndefined(ws)
          outbox ??= new WsOutbox(isWsConnection(connection) ? connection : throughWriter(write), HIGH_WATER_BYTES)
          const sending = outbox
          heartbeat ??= startHeartbeat(connection, ctx.heartbeatIntervalMs, () => sending.pending)
        })
      }
    }

    yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(inbox), ([data, size]) => {
      pendingBytes -= size
      return dispatch(data)
    })))
    // After a shutdown has drained, say goodbye: 1001 "going away".
    yield* Effect.forkScoped(Effect.zipRight(ctx.lifecycle.stopped, Effect.ignore(write(new Socket.CloseEvent(1001, "server shutting down")))))
    yield* socket.runRaw(receive).pipe(Effect.ignore)
    for (const state of running.values()) {
      if (state.reader?.ended !== true) yield* ctx.metrics.clientDisconnected("websocket")
    }
  })

const idOf = (u: unknown): string | null => {
  const id = typeof u === "object" && u !== null ? (u as Record<string, unknown>)["id"] : undefined
  return typeof id === "string" && id.length > 0 && id.length <= 200 ? id : null
}
