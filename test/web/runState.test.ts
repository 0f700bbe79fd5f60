import { describe, expect, it } from "vitest"
import type { StreamEvent } from "../../src/client/index.js"
import * as Run from "../../src/web/app/runState.js"

const shape: Run.RunShape = {
  modules: [{ node: 1, module: "Delay" }, { node: 0, module: "Uppercase" }],
  outputs: ["quick", "slow"]
}
const executionId = "e1"
const T = 1_000_000
let seq = 0
const ev = {
  started: (node: number, module: string, at: number): StreamEvent =>
    ({ event: "module-started", data: { executionId, seq: seq++, timestamp: T + at, module, node } }),
  completed: (node: number, module: string, at: number, latencyMs: number): StreamEvent =>
    ({ event: "module-completed", data: { executionId, seq: seq++, timestamp: T + at, module, node, latencyMs } }),
  failed: (node: number, module: string, at: number): StreamEvent =>
    ({ event: "module-failed", data: { executionId, seq: seq++, timestamp: T + at, module, node, latencyMs: 3, error: { code: "boom", message: "it broke", module } } }),
  progress: (completed: number, at: number): StreamEvent =>
    ({ event: "progress", data: { executionId, seq: seq++, timestamp: T + at, completed, total: 2 } }),
  output: (name: string, value: string, at: number, isFinal: boolean): StreamEvent =>
    ({ event: isFinal ? "complete" : "output", data: { executionId, seq: seq++, timestamp: T + at, name, value, isFinal, fromFallback: false } }),
  outputError: (name: string, at: number, isFinal: boolean): StreamEvent =>
    ({ event: "error", data: { executionId, seq: seq++, timestamp: T + at, name, error: { code: "boom", message: "it broke", module: "Delay" }, isFinal } })
}

/** Folds events received at the given page times. */
const fold = (events: ReadonlyArray<readonly [StreamEvent, number]>, state = Run.start(shape, "stream")) =>
  events.reduce((s, [e, at]) => Run.applyEvent(s, e, at), state)

describe("runState", () => {
  it("starts with every module queued and every output waiting, ordered by node", () => {
    const s = Run.start(shape, "stream")
    expect(s.modules.map((m) => [m.node, m.status])).toEqual([[0, "queued"], [1, "queued"]])
    expect(s.outputs.map((o) => o.status)).toEqual(["waiting", "waiting"])
    expect(s.progress).toEqual({ completed: 0, total: 2 })
    expect(Run.start(shape, "batch").modules.map((m) => m.status)).toEqual(["idle", "idle"])
  })

  it("follows a streaming run: the first output while a module still runs, then the final one", () => {
    const midway = fold([
      [ev.started(0, "Uppercase", 0), 12],
      [ev.completed(0, "Uppercase", 1, 1), 13],
      [ev.output("quick", "HI", 1, false), 14],
      [ev.started(1, "Delay", 2), 15]
    ])
    expect(midway.phase).toBe("running")
    expect(midway.executionId).toBe("e1")
    expect(midway.firstOutputMs).toBe(14)
    expect(midway.outputs.map((o) => [o.name, o.status, o.atMs, o.fromFallback])).toEqual([["quick", "done", 14, false], ["slow", "waiting", undefined, false]])
    expect(midway.modules.map((m) => m.status)).toEqual(["done", "running"])
    // The server clock maps onto the page's: the largest (timestamp - received) is the offset.
    expect(midway.clockOffset).toBe(T - 12)
    expect(Run.sinceStart(midway, T + 2)).toBe(14)

    const end = fold([[ev.progress(2, 500), 520], [ev.completed(1, "Delay", 500, 498), 521], [ev.output("slow", "S", 500, true), 522]], midway)
    expect(end.phase).toBe("completed")
    expect(end.finishedMs).toBe(522)
    expect(end.progress).toEqual({ completed: 2, total: 2 })
    expect(end.modules[1]).toMatchObject({ status: "done", latencyMs: 498, startedTs: T + 2, endedTs: T + 500 })
  })

  it("shows failed outputs with their error and ends as partly failed", () => {
    const s = fold([
      [ev.output("quick", "HI", 1, false), 5],
      [ev.failed(1, "Delay", 4), 6],
      [ev.outputError("slow", 4, true), 7]
    ])
    expect(s.phase).toBe("partial")
    expect(s.outputs[1]).toMatchObject({ status: "failed", error: { code: "boom" }, atMs: 7 })
    expect(s.modules[1]).toMatchObject({ status: "failed", error: { message: "it broke" } })
  })

  it("ends the run when the whole execution fails, cancelling what was pending", () => {
    const failure: StreamEvent = {
      event: "error",
      data: { executionId, seq: 9, timestamp: T, error: { code: "deadline_exceeded", message: "too slow", module: null }, missing: ["slow"], isFinal: true }
    }
    const s = fold([[ev.started(1, "Delay", 0), 2], [failure, 30]])
    expect(s.phase).toBe("failed")
    expect(s.message).toBe("too slow (deadline_exceeded)")
    expect(s.modules.map((m) => m.status)).toEqual(["cancelled", "cancelled"])
    expect(s.outputs.map((o) => o.status)).toEqual(["cancelled", "cancelled"])
  })

  it("cancels: running modules and waiting outputs stop, what arrived stays", () => {
    const s = Run.cancel(fold([[ev.started(0, "Uppercase", 0), 1], [ev.completed(0, "Uppercase", 1, 1), 2], [ev.started(1, "Delay", 2), 3]]), 40)
    expect(s.phase).toBe("cancelled")
    expect(s.finishedMs).toBe(40)
    expect(s.modules.map((m) => m.status)).toEqual(["done", "cancelled"])
  })

  it("takes a batch answer: every output at once", () => {
    const s = Run.applyBatch(Run.start(shape, "batch"), {
      executionId: "b1",
      status: "partial",
      outputs: { quick: "HI" },
      errors: { slow: { code: "boom", message: "it broke", module: "Delay" } },
      outputStatus: { quick: "succeeded", slow: "failed" },
      durationMs: 480
    }, 505)
    expect(s.phase).toBe("partial")
    expect(s.firstOutputMs).toBe(505)
    expect(s.outputs.map((o) => [o.status, o.atMs])).toEqual([["done", 505], ["failed", 505]])
  })
})
