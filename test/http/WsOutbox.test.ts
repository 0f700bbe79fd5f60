/**
 * WsOutbox: an execution writes its frames straight onto the socket and
 * waits while `maxBuffered` of them are unwritten or the socket is
 * congested; it goes on as frames leave, and never waits on a closed socket.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import type { ExecutionEvent } from "../../src/runtime/ExecutionEvent.js"
import { isWsConnection, WsOutbox } from "../../src/http/WsOutbox.js"
import type { WsConnection } from "../../src/http/WsOutbox.js"

/** A socket whose writes complete when the test says so. */
class FakeSocket implements WsConnection {
  readyState = 1
  bufferedAmount = 0
  readonly sent: Array<string> = []
  private readonly unwritten: Array<() => void> = []
  send(data: string, done?: (error?: Error) => void): void {
    this.sent.push(data)
    if (done !== undefined) this.unwritten.push(() => done())
  }
  /** The oldest `n` frames are written to the connection. */
  write(n = 1): void {
    for (const done of this.unwritten.splice(0, n)) done()
  }
}

const output = (seq: number): ExecutionEvent =>
  ({ _tag: "Output", executionId: "e", seq, timestamp: 0, name: `o${seq}`, value: seq, isFinal: false, fromFallback: false })

const frame = (e: ExecutionEvent) => String(e.seq)

describe("WsOutbox", () => {
  it("takes frames until maxBuffered are unwritten, then holds the execution until one leaves", () => {
    const socket = new FakeSocket()
    const sink = new WsOutbox(socket, 1024).sink(2, frame)
    expect(sink.unsafeOffer(output(0))).toBe(true)
    expect(sink.unsafeOffer(output(1))).toBe(true)
    expect(sink.unsafeOffer(output(2))).toBe(false)
    expect(socket.sent).toEqual(["0", "1"])
    socket.write()
    expect(sink.unsafeOffer(output(2))).toBe(true)
    expect(socket.sent).toEqual(["0", "1", "2"])
  })

  it.live("offer waits while full and sends when a frame has left, in order", () =>
    Effect.gen(function*() {
      const socket = new FakeSocket()
      const sink = new WsOutbox(socket, 1024).sink(1, frame)
      yield* sink.offer(output(0))
      const waiting = yield* Effect.fork(sink.offer(output(1)))
      yield* Effect.sleep("20 millis")
      expect(waiting.unsafePoll()).toBeNull()
      expect(socket.sent).toEqual(["0"])
      socket.write()
      yield* Fiber.join(waiting)
      expect(socket.sent).toEqual(["0", "1"])
    }))

  it.live("a congested socket holds every execution until its queued bytes fall (seen by the re-check)", () =>
    Effect.gen(function*() {
      const socket = new FakeSocket()
      const outbox = new WsOutbox(socket, 100)
      const a = outbox.sink(10, frame), b = outbox.sink(10, frame)
      socket.bufferedAmount = 101
      expect(a.unsafeOffer(output(0))).toBe(false)
      const waitingA = yield* Effect.fork(a.offer(output(0)))
      const waitingB = yield* Effect.fork(b.offer(output(1)))
      yield* Effect.sleep("30 millis")
      expect(socket.sent).toEqual([])
      socket.bufferedAmount = 0
      yield* Fiber.join(waitingA)
      yield* Fiber.join(waitingB)
      expect(socket.sent.sort()).toEqual(["0", "1"])
      outbox.close()
    }))

  it.live("a closed socket never holds an execution (its frames are dropped)", () =>
    Effect.gen(function*() {
      const socket = new FakeSocket()
      const sink = new WsOutbox(socket, 100).sink(1, frame)
      expect(sink.unsafeOffer(output(0))).toBe(true)
      const waiting = yield* Effect.fork(sink.offer(output(1)))
      socket.readyState = 3
      socket.bufferedAmount = 1_000
      yield* Fiber.join(waiting)
      expect(sink.unsafeOffer(output(2))).toBe(true)
    }))

  it.live("an interrupted offer stops waiting and sends nothing", () =>
    Effect.gen(function*() {
      const socket = new FakeSocket()
      const sink = new WsOutbox(socket, 1024).sink(1, frame)
      yield* sink.offer(output(0))
      const waiting = yield* Effect.fork(sink.offer(output(1)))
      yield* Fiber.interrupt(waiting)
      socket.write()
      yield* Effect.sleep("20 millis")
      expect(socket.sent).toEqual(["0"])
    }))

  it("counts only queued bytes for a socket that does not report written frames", () => {
    const sent: Array<string> = []
    const socket: WsConnection = { readyState: 1, bufferedAmount: 0, send: (data: string) => void sent.push(data) }
    const sink = new WsOutbox(socket, 1024).sink(1, frame)
    for (let i = 0; i < 5; i++) expect(sink.unsafeOffer(output(i))).toBe(true)
    expect(sent).toHaveLength(5)
  })

  it("recognises a WebSocket it can send on", () => {
    expect(isWsConnection(new FakeSocket())).toBe(true)
    expect(isWsConnection({ send: () => undefined })).toBe(false)
    expect(isWsConnection(undefined)).toBe(false)
  })
})
