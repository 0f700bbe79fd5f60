/**
 * SSE framing and keepalives, content negotiation, and the wire form of
 * every event type.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Stream, TestClock } from "effect"
import { acceptsEventStream } from "../../src/http/sseResponse.js"
import { comment, frame, KEEPALIVE, withKeepalive } from "../../src/http/sse.js"
import { toWire } from "../../src/http/WireEvent.js"
import type { ExecutionEvent } from "../../src/runtime/ExecutionEvent.js"

const base = { executionId: "e1", seq: 3, timestamp: 1000 }
const error = { code: "boom", message: "it broke", module: "Flaky" }

describe("toWire", () => {
  const cases: ReadonlyArray<readonly [ExecutionEvent, string, string | undefined, Record<string, unknown>]> = [
    [
      { _tag: "Output", ...base, name: "a", value: [1, 2], isFinal: false, fromFallback: false },
      "output",
      "a",
      { ...base, name: "a", value: [1, 2], isFinal: false, fromFallback: false }
    ],
    [
      { _tag: "Output", ...base, name: "z", value: "v", isFinal: true, fromFallback: true },
      "complete",
      "z",
      { ...base, name: "z", value: "v", isFinal: true, fromFallback: true }
    ],
    [
      { _tag: "OutputFailed", ...base, name: "b", error, isFinal: false },
      "error",
      "b",
      { ...base, name: "b", error, isFinal: false }
    ],
    [
      { _tag: "ExecutionFailed", ...base, error, missing: ["c"], isFinal: true },
      "error",
      undefined,
      { executionId: "e1", seq: 3, error, missing: ["c"], isFinal: true }
    ],
    [{ _tag: "ModuleStarted", ...base, module: "M", node: 2 }, "module-started", undefined, { ...base, module: "M", node: 2 }],
    [
      { _tag: "ModuleCompleted", ...base, module: "M", node: 2, latencyMs: 7 },
      "module-completed",
      undefined,
      { ...base, module: "M", node: 2, latencyMs: 7 }
    ],
    [
      { _tag: "ModuleFailed", ...base, module: "M", node: 2, error, latencyMs: 7 },
      "module-failed",
      undefined,
      { ...base, module: "M", node: 2, error, latencyMs: 7 }
    ],
    [
      { _tag: "ModuleSkipped", ...base, module: "M", node: 2, reason: "upstream" },
      "module-skipped",
      undefined,
      { ...base, module: "M", node: 2, reason: "upstream" }
    ],
    [
      { _tag: "ModuleRetrying", ...base, module: "M", node: 2, attempt: 2, delayMs: 100, error },
      "module-retrying",
      undefined,
      { ...base, module: "M", node: 2, attempt: 2, delayMs: 100, error }
    ],
    [{ _tag: "Progress", ...base, completed: 1, total: 4 }, "progress", undefined, { ...base, completed: 1, total: 4 }]
  ]
  for (const [event, name, id, data] of cases) {
    it(`${event._tag} is \`${name}\``, () => {
      expect(toWire(event)).toEqual({ event: name, id, data })
    })
  }
})

describe("frame", () => {
  it("writes id, event and one data line of JSON, then a blank line", () => {
    const out = frame(toWire({ _tag: "Output", ...base, name: "a", value: "x\ny", isFinal: false, fromFallback: false }))
    const data = { executionId: "e1", seq: 3, name: "a", value: "x\ny", timestamp: 1000, isFinal: false, fromFallback: false }
    expect(out).toBe(`id: a\nevent: output\ndata: ${JSON.stringify(data)}\n\n`)
  })

  it("writes comments on one line", () => {
    expect(comment("a\nb")).toBe(": a b\n\n")
    expect(KEEPALIVE).toBe(": keepalive\n\n")
  })
})

describe("withKeepalive", () => {
  it.effect("keepalives fill the silence and stop when the events end", () =>
    Effect.gen(function*() {
      // "a" at 0 ms, "b" at 2500 ms, then the end at 2600 ms; keepalive every 1000 ms of silence.
      const frames = Stream.concat(
        Stream.make("a"),
        Stream.fromEffect(Effect.as(Effect.sleep("2500 millis"), "b"))
      ).pipe(Stream.concat(Stream.fromEffect(Effect.as(Effect.sleep("100 millis"), "c"))))
      const fiber = yield* Effect.fork(Stream.runCollect(withKeepalive(frames, 1000)))
      yield* TestClock.adjust("5 seconds")
      const out = Chunk.toReadonlyArray(yield* Fiber.join(fiber))
      expect(out).toEqual(["a", KEEPALIVE, KEEPALIVE, "b", "c"])
    }))

  it.effect("a steady flow of events needs no keepalive", () =>
    Effect.gen(function*() {
      const frames = Stream.range(1, 5).pipe(Stream.mapEffect((i) => Effect.as(Effect.sleep("600 millis"), String(i))))
      const fiber = yield* Effect.fork(Stream.runCollect(withKeepalive(frames, 1000)))
      yield* TestClock.adjust("10 seconds")
      expect(Chunk.toReadonlyArray(yield* Fiber.join(fiber))).toEqual(["1", "2", "3", "4", "5"])
    }))
})

describe("acceptsEventStream", () => {
  it("reads the Accept header", () => {
    expect(acceptsEventStream("text/event-stream")).toBe(true)
    expect(acceptsEventStream("application/json, text/event-stream;q=0.5")).toBe(true)
    expect(acceptsEventStream("Text/Event-Stream")).toBe(true)
    expect(acceptsEventStream("text/event-stream;q=0")).toBe(false)
    expect(acceptsEventStream("application/json")).toBe(false)
    expect(acceptsEventStream("*/*")).toBe(false)
    expect(acceptsEventStream(undefined)).toBe(false)
  })
})
