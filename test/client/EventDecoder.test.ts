/**
 * The event decoder on its own: SSE text in any chunking, typed events out,
 * the final event remembered, and every malformed answer a `ProtocolError`.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { ProtocolError } from "../../src/client/ClientError.js"
import { makeEventDecoder } from "../../src/client/EventDecoder.js"
import { decodeEvent, isFinal } from "../../src/client/StreamEvent.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"

const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

const output = (seq: number, name: string, value: unknown, isFinal = false) => ({
  executionId: "x1",
  seq,
  timestamp: 1000 + seq,
  name,
  value,
  isFinal,
  fromFallback: false
})

const body = [
  ": execution x1\n\n",
  frame("progress", { executionId: "x1", seq: 0, timestamp: 1, completed: 1, total: 3 }),
  frame("output", output(1, "quick", "HÉLLO 😀")),
  frame("error", { executionId: "x1", seq: 2, timestamp: 3, name: "bad", error: { code: "boom", message: "no", module: "Delay" }, isFinal: false }),
  frame("complete", output(3, "slow", { list: [1, 2.5, null] }, true))
].join("")

const feedAll = (chunks: ReadonlyArray<string>): ReadonlyArray<StreamEvent> => {
  const decoder = makeEventDecoder()
  const out: Array<StreamEvent> = []
  for (const chunk of chunks) out.push(...Either.getOrThrow(decoder.feed(chunk)))
  expect(decoder.finished()).toBe(true)
  return out
}

describe("makeEventDecoder", () => {
  it("decodes every event, skipping comments, whatever the chunking", () => {
    const whole = feedAll([body])
    expect(whole.map((e) => e.event)).toEqual(["progress", "output", "error", "complete"])
    expect(whole[1]).toEqual({ event: "output", data: output(1, "quick", "HÉLLO 😀") })
    expect(whole[3]?.data).toMatchObject({ name: "slow", value: { list: [1, 2.5, null] }, isFinal: true })
    // One character at a time, and in uneven slices: the same events.
    expect(feedAll([...body])).toEqual(whole)
    expect(feedAll(body.match(/[\s\S]{1,7}/g) ?? [])).toEqual(whole)
  })

  it("ignores what follows the final event", () => {
    const decoder = makeEventDecoder()
    const events = Either.getOrThrow(decoder.feed(body + frame("output", output(9, "late", 1))))
    expect(events.map((e) => e.event)).toEqual(["progress", "output", "error", "complete"])
  })

  it("says how far a stream got when it stops before its final event", () => {
    const decoder = makeEventDecoder()
    Either.getOrThrow(decoder.feed(frame("output", output(0, "quick", 1)) + "event: out"))
    expect(decoder.finished()).toBe(false)
    const error = decoder.interrupted(new Error("other side closed"))
    expect(error).toMatchObject({ _tag: "StreamInterrupted", executionId: "x1", received: 1 })
    expect(error.message).toContain("after 1 event(s), before the execution's final event")
    expect(error.message).toContain("other side closed")
    expect(decoder.interrupted().message).toContain("the server ended the response")
  })

  it("fails with a ProtocolError on a payload that does not match, or is not JSON", () => {
    const wrong = makeEventDecoder().feed(frame("output", { name: "x" }))
    expect(Either.isLeft(wrong) && wrong.left).toBeInstanceOf(ProtocolError)
    const notJson = makeEventDecoder().feed("event: output\ndata: {oops\n\n")
    expect(Either.isLeft(notJson) && notJson.left.message).toContain("is not JSON")
  })

  it("skips events it does not know (a newer server), without counting them", () => {
    const decoder = makeEventDecoder()
    const events = Either.getOrThrow(decoder.feed(frame("telemetry", { anything: 1 }) + "data: plain message\n\n"))
    expect(events).toEqual([])
  })
})

describe("decodeEvent", () => {
  it("tells an error about one output from one that ends the execution", () => {
    const execution = Either.getOrThrow(decodeEvent("error", JSON.stringify({
      executionId: "x1",
      seq: 4,
      timestamp: 5,
      error: { code: "deadline_exceeded", message: "too slow", module: null },
      missing: ["slow"],
      isFinal: true
    })))
    expect(execution).toMatchObject({ event: "error", data: { missing: ["slow"] } })
    expect(execution !== undefined && isFinal(execution)).toBe(true)
  })
})
