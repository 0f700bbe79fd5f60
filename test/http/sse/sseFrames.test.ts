/**
 * SSE framing and keepalives, content negotiation, and the wire form of
 * every event type.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { acceptsEventStream } from "../../../src/http/sse/eventStreamResponse.js"
import { comment, frame, Keepalive, KEEPALIVE } from "../../../src/http/sse/sseFrames.js"
import { toWire } from "../../../src/protocol/events.js"
import type { ExecutionEvent } from "../../../src/runtime/ExecutionEvent.js"

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
      { executionId: "e1", seq: 3, timestamp: 1000, error, missing: ["c"], isFinal: true }
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
      { _tag: "ModuleSkipped", ...base, module: "M", node: 2, reason: "upstream", cause: "upstream_failed" },
      "module-skipped",
      undefined,
      { ...base, module: "M", node: 2, reason: "upstream", cause: "upstream_failed" }
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
    // The payload is the runtime event without its `_tag`, its fields in the same order.
    const data = { executionId: "e1", seq: 3, timestamp: 1000, name: "a", value: "x\ny", isFinal: false, fromFallback: false }
    expect(out).toBe(`id: a\nevent: output\ndata: ${JSON.stringify(data)}\n\n`)
  })

  it("writes comments on one line", () => {
    expect(comment("a\nb")).toBe(": a b\n\n")
    expect(KEEPALIVE).toBe(": keepalive\n\n")
  })
})

describe("Keepalive", () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Writes at the given times (ms), stopping at `end`; returns what was written, in order. */
  const run = (writes: ReadonlyArray<readonly [number, string]>, end: number, intervalMs = 1000) => {
    const out: Array<string> = []
    const keepalive = new Keepalive(intervalMs, () => out.push(KEEPALIVE))
    for (const [at, text] of writes) {
      vi.advanceTimersByTime(at - Date.now())
      out.push(text)
      keepalive.touch()
    }
    vi.advanceTimersByTime(end - Date.now())
    keepalive.stop()
    vi.advanceTimersByTime(10_000)
    return out
  }

  it("fills the silence and stops when the stream ends", () => {
    vi.setSystemTime(0)
    // "a" at 0 ms, "b" at 2500 ms, "c" at 2600 ms, then the end; keepalive every 1000 ms of silence.
    expect(run([[0, "a"], [2500, "b"], [2600, "c"]], 2600)).toEqual(["a", KEEPALIVE, KEEPALIVE, "b", "c"])
  })

  it("a steady flow of writes needs no keepalive", () => {
    vi.setSystemTime(0)
    expect(run([[600, "1"], [1200, "2"], [1800, "3"], [2400, "4"], [3000, "5"]], 3000)).toEqual(["1", "2", "3", "4", "5"])
  })

  it("counts the silence from the last write, not from the last keepalive", () => {
    vi.setSystemTime(0)
    // Keepalives at 1000, then 1900 + 1000 = 2900 and 3900.
    const out: Array<readonly [number, string]> = []
    const keepalive = new Keepalive(1000, () => out.push([Date.now(), "k"]))
    vi.advanceTimersByTime(1900)
    keepalive.touch()
    vi.advanceTimersByTime(2100)
    keepalive.stop()
    expect(out).toEqual([[1000, "k"], [2900, "k"], [3900, "k"]])
  })
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
