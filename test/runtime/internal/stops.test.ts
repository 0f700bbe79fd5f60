import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Stream, TestClock } from "effect"
import { Engine } from "../../../src/runtime/Engine.js"
import type { ExecutionEvent } from "../../../src/runtime/ExecutionEvent.js"
import { StopSignalController } from "../../../src/runtime/StopSignal.js"
import { engineLayer, makeProbe } from "../support.js"

const FAN_OUT = `
in text: String
fast = Work("fast", 5)
slow = Work("slow", 500)
out fast
out slow
`

const lastOf = (events: ReadonlyArray<ExecutionEvent>) => events[events.length - 1]

describe("stopping an execution from outside", () => {
  it.effect("a StopSignalController shared by many executions ends each with the reason it was aborted with", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stop = new StopSignalController()
      const runs = yield* Effect.forEach([1, 2, 3], () =>
        Effect.flatMap(engine.runStreaming(env.compile(FAN_OUT), { text: "hi" }, { signal: stop.signal }), (s) =>
          Effect.fork(Stream.runCollect(s))))
      yield* TestClock.adjust("10 millis")
      stop.abort({ code: "shutting_down", message: "going away", module: null })
      const results = yield* Effect.forEach(runs, (f) => Effect.map(Fiber.join(f), Chunk.toArray))
      for (const events of results) {
        expect(events.filter((e) => e._tag === "Output").map((e) => e._tag === "Output" && e.name)).toEqual(["fast"])
        expect(lastOf(events)).toMatchObject({
          _tag: "ExecutionFailed",
          isFinal: true,
          missing: ["slow"],
          error: { code: "shutting_down", message: "going away", module: null }
        })
      }
      expect(probe.interrupted).toEqual(["slow", "slow", "slow"])
      expect(probe.running).toBe(0)
      expect(engine.stats().activeExecutions).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("an AbortSignal aborted without an error code ends the execution as cancelled", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const controller = new AbortController()
      const stream = yield* engine.runStreaming(env.compile(FAN_OUT), { text: "hi" }, { signal: controller.signal })
      const fiber = yield* Effect.fork(Stream.runCollect(stream))
      yield* TestClock.adjust("10 millis")
      controller.abort()
      const events = Chunk.toArray(yield* Fiber.join(fiber))
      expect(lastOf(events)).toMatchObject({ _tag: "ExecutionFailed", error: { code: "cancelled" }, missing: ["slow"] })
      expect(probe.running).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a signal already aborted ends the execution before any output", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stop = new StopSignalController()
      stop.abort("no ErrorInfo")
      const result = yield* engine.run(env.compile(FAN_OUT), { text: "hi" }, { signal: stop.signal })
      expect(result.status).toBe("failed")
      expect(Object.keys(result.outputs)).toEqual([])
      expect(probe.running).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })

  // The one real-time test here: on the live clock a deadline is a plain
  // timer rather than a sleeping fiber, and only real time exercises it.
  it.live("on the live clock, a deadline ends the execution and interrupts what runs", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const started = Date.now()
      const result = yield* engine.run(env.compile(FAN_OUT), { text: "hi" }, { deadline: "40 millis" })
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(result.status).toBe("partial")
      expect(result.outputs).toEqual({ fast: "fast" })
      expect(result.errors["slow"]).toMatchObject({ code: "deadline_exceeded" })
      expect(probe.interrupted).toEqual(["slow"])
      expect(probe.running).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })
})
