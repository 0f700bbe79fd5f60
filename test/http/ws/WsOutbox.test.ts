/**
 * WsOutbox: an execution's log is read straight onto the socket, and the
 * execution waits while `maxBuffered` of its frames are unwritten or the
 * socket is congested; it goes on as frames leave, and never waits on a
 * closed socket.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ExecutionEvent } from "../../../src/runtime/ExecutionEvent.js"
import { ExecutionLog } from "../../../src/runtime/ExecutionLog.js"
import type { LogWriter } from "../../../src/runtime/ExecutionLog.js"
import { isWsConnection, WsOutbox } from "../../../src/http/ws/WsOutbox.js"
import type { WsConnection } from "../../../src/http/ws/WsOutbox.js"

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

/** Writes `e` if the writer has room, as the log does. */
const offer = (writer: LogWriter, e: ExecutionEvent): boolean => {
  if (!writer.hasRoom()) return false
  writer.write(e)
  return true
}

/** A log of outputs `o0`, `o1` ... read by `writer`, which holds it back. */
const logReadBy = (writer: LogWriter) => {
  const log = new ExecutionLog("e", ["o0", "o1", "o2", "o3"], () => 0)
  const reader = log.read(writer, { holdsExecution: true })
  let next = 0
  /** Appends the next output; false when the writer holds the execution back. */
  const publish = () => log.publish([output(next++)])
  return { log, reader, publish }
}

describe("WsOutbox", () => {
  it("takes frames until maxBuffered are unwritten, then holds the execution until one leaves", () => {
    const socket = new FakeSocket()
    const writer = new WsOutbox(socket, 1024).writer(2, frame)
    expect(offer(writer, output(0))).toBe(true)
    expect(offer(writer, output(1))).toBe(true)
    expect(offer(writer, output(2))).toBe(false)
    expect(socket.sent).toEqual(["0", "1"])
    socket.write()
    expect(offer(writer, output(2))).toBe(true)
    expect(socket.sent).toEqual(["0", "1", "2"])
  })

  it("a log read by it waits while full and goes on when a frame has left, in order", () => {
    const socket = new FakeSocket()
    const { log, publish } = logReadBy(new WsOutbox(socket, 1024).writer(1, frame))
    let caughtUp = 0
    log.onCaughtUp = () => void caughtUp++
    expect(publish()).toBe(true)
    expect(publish()).toBe(false)
    expect(log.blocked).toBe(true)
    expect(socket.sent).toEqual(["0"])
    socket.write()
    expect(socket.sent).toEqual(["0", "1"])
    expect(log.blocked).toBe(false)
    expect(caughtUp).toBe(1)
  })

  it.live("a congested socket holds every execution until its queued bytes fall (seen by the re-check)", () =>
    Effect.gen(function*() {
      const socket = new FakeSocket()
      const outbox = new WsOutbox(socket, 100)
      const a = logReadBy(outbox.writer(10, frame)), b = logReadBy(outbox.writer(10, frame))
      socket.bufferedAmount = 101
      expect(a.publish()).toBe(false)
      expect(b.publish()).toBe(false)
      yield* Effect.sleep("30 millis")
      expect(socket.sent).toEqual([])
      socket.bufferedAmount = 0
      yield* Effect.sleep("30 millis")
      expect(socket.sent.sort()).toEqual(["0", "0"])
      expect(a.log.blocked || b.log.blocked).toBe(false)
      outbox.close()
    }))

  it("a closed socket never holds an execution (its frames are dropped)", () => {
    const socket = new FakeSocket()
    const { log, publish } = logReadBy(new WsOutbox(socket, 100).writer(1, frame))
    expect(publish()).toBe(true)
    socket.readyState = 3
    socket.bufferedAmount = 1_000
    expect(publish()).toBe(true)
    expect(publish()).toBe(true)
    expect(log.blocked).toBe(false)
  })

  it.live("a closed reader stops waiting and sends nothing more", () =>
    Effect.gen(function*() {
      const socket = new FakeSocket()
      const { log, reader, publish } = logReadBy(new WsOutbox(socket, 1024).writer(1, frame))
      publish()
      expect(publish()).toBe(false)
      reader.close()
      socket.write()
      yield* Effect.sleep("20 millis")
      expect(socket.sent).toEqual(["0"])
      expect(log.blocked).toBe(false)
    }))

  it("counts only queued bytes for a socket that does not report written frames", () => {
    const sent: Array<string> = []
    const socket: WsConnection = { readyState: 1, bufferedAmount: 0, send: (data: string) => void sent.push(data) }
    const writer = new WsOutbox(socket, 1024).writer(1, frame)
    for (let i = 0; i < 5; i++) expect(offer(writer, output(i))).toBe(true)
    expect(sent).toHaveLength(5)
  })

  it("recognises a WebSocket it can send on", () => {
    expect(isWsConnection(new FakeSocket())).toBe(true)
    expect(isWsConnection({ send: () => undefined })).toBe(false)
    expect(isWsConnection(undefined)).toBe(false)
  })
})
