import { describe, expect, it } from "@effect/vitest"
import { Chunk, Clock, Effect, Fiber, Runtime, Stream, TestClock } from "effect"
import { Engine } from "../../src/runtime/Engine.js"
import type { ExecutionEvent } from "../../src/runtime/ExecutionEvent.js"
import type { LogWriter } from "../../src/runtime/ExecutionLog.js"
import { engineLayer, makeProbe } from "./support.js"

const FAN_OUT = `
in text: String
fast = Work("fast", 5)
medium = Work("medium", 50)
slow = Work("slow", 500)
out fast
out medium
out slow
`

/** Collects a stream with the virtual time each event arrived at. */
const timed = (events: Stream.Stream<ExecutionEvent>) =>
  Stream.runCollect(Stream.mapEffect(events, (e) => Effect.map(Clock.currentTimeMillis, (t) => [t, e] as const))).pipe(
    Effect.map(Chunk.toArray)
  )

const outputsOf = (events: ReadonlyArray<ExecutionEvent>) =>
  events.flatMap((e) => (e._tag === "Output" ? [[e.name, e.value]] : []))

describe("Engine.runStreaming", () => {
  it.effect("streams the fan-out outputs at virtual 5, 50 and 500 ms, the last final", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(FAN_OUT), { text: "hi" }, { executionId: "x1" })
      const fiber = yield* Effect.fork(timed(stream))
      yield* TestClock.adjust("1 second")
      const events = yield* Fiber.join(fiber)
      expect(events.map(([t, e]) => [t, e._tag, "name" in e ? e.name : "", "isFinal" in e && e.isFinal])).toEqual([
        [5, "Output", "fast", false],
        [50, "Output", "medium", false],
        [500, "Output", "slow", true]
      ])
      expect(events.map(([, e]) => e.seq)).toEqual([0, 1, 2])
      expect(events.every(([, e]) => e.executionId === "x1")).toBe(true)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("taking the first event interrupts the two other modules and runs their finalizers", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(FAN_OUT), { text: "hi" })
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(stream, 1)))
      yield* TestClock.adjust("10 millis")
      const first = Chunk.toArray(yield* Fiber.join(fiber))
      expect(first.map((e) => e._tag === "Output" && e.name)).toEqual(["fast"])
      expect(probe.interrupted.sort()).toEqual(["medium", "slow"])
      expect(probe.running).toBe(0)
      expect(engine.stats().runningModules).toBe(0)
      expect(engine.stats().activeExecutions).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a deadline ends the run, interrupts what runs and names the outputs that never arrived", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(FAN_OUT), { text: "hi" }, { deadline: "100 millis" })
      const fiber = yield* Effect.fork(timed(stream))
      yield* TestClock.adjust("1 second")
      const events = yield* Fiber.join(fiber)
      const last = events[events.length - 1]!
      expect(last[0]).toBe(100)
      expect(last[1]).toMatchObject({ _tag: "ExecutionFailed", isFinal: true, missing: ["slow"], error: { code: "deadline_exceeded" } })
      expect(outputsOf(events.map(([, e]) => e))).toEqual([["fast", "fast"], ["medium", "medium"]])
      expect(probe.interrupted).toEqual(["slow"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a failing module skips its dependents at once; independent outputs still arrive", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const source = `
in x: String
broken = Fail("broken", 20)
after = Work(broken, 5)
joined = Concat(after, "!")
ok = Work("ok", 300)
out joined
out ok
out broken
`
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(source), { x: "" }, { progress: true })
      const fiber = yield* Effect.fork(timed(stream))
      yield* TestClock.adjust("1 second")
      const events = yield* Fiber.join(fiber)
      const results = events.filter(([, e]) => e._tag === "Output" || e._tag === "OutputFailed")
      expect(results.map(([t, e]) => [t, e._tag, "name" in e ? e.name : ""])).toEqual([
        [20, "OutputFailed", "broken"],
        [20, "OutputFailed", "joined"],
        [300, "Output", "ok"]
      ])
      expect(results[0]![1]).toMatchObject({ error: { code: "boom", module: "Fail", message: "broken failed" } })
      expect(results[1]![1]).toMatchObject({ error: { code: "upstream_failed", module: "Fail" } })
      expect(events.some(([t, e]) => t === 20 && e._tag === "ModuleSkipped" && e.module === "Work")).toBe(true)
      expect(probe.started.sort()).toEqual(["broken", "ok"])
      const final = events.filter(([, e]) => "isFinal" in e && e.isFinal)
      expect(final.length).toBe(1)
      expect(final[0]).toBe(events[events.length - 1])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("retries with exponential backoff at the expected virtual times, reporting each retry", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const source = `
in x: String
r = Flaky("r", 3) with retry: 3, delay: 100ms, backoff: exponential
out r
`
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(source), { x: "" }, { progress: true })
      const fiber = yield* Effect.fork(timed(stream))
      yield* TestClock.adjust("2 seconds")
      const events = yield* Fiber.join(fiber)
      expect(probe.attempts).toEqual([0, 100, 300, 700])
      const retries = events.flatMap(([t, e]) => (e._tag === "ModuleRetrying" ? [[t, e.attempt, e.delayMs]] : []))
      expect(retries).toEqual([[0, 2, 100], [100, 3, 200], [300, 4, 400]])
      expect(events[events.length - 1]![1]).toMatchObject({ _tag: "Output", name: "r", value: "r", isFinal: true, fromFallback: false })
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a fallback replaces the value when every attempt failed, and the event says so", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const source = `
in x: String
r = Flaky("r", 10) with retry: 1, delay: 10ms, fallback: "default"
out r
`
    return Effect.gen(function*() {
      const engine = yield* Engine
      const result = yield* Effect.fork(engine.run(env.compile(source), { x: "" }))
      yield* TestClock.adjust("1 second")
      const batch = yield* Fiber.join(result)
      expect(batch.outputs).toEqual({ r: "default" })
      expect(batch.outputStatus).toEqual({ r: "fallback" })
      expect(batch.status).toBe("completed")
      expect(probe.attempts).toEqual([0, 10])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a timeout fails the attempt and interrupts the module", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const source = `
in x: String
slow = Work("slow", 500) with timeout: 100ms
fast = Work("fast", 1)
out slow
out fast
`
    return Effect.gen(function*() {
      const engine = yield* Engine
      const result = yield* Effect.fork(engine.run(env.compile(source), { x: "" }))
      yield* TestClock.adjust("1 second")
      const batch = yield* Fiber.join(result)
      expect(batch.status).toBe("partial")
      expect(batch.outputs).toEqual({ fast: "fast" })
      expect(batch.errors["slow"]).toMatchObject({ code: "timeout", module: "Work" })
      expect(probe.interrupted).toEqual(["slow"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a defect becomes an error for its outputs without leaking its detail", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const source = `
in x: String
c = Crash("c")
ok = Uppercase(x)
out c
out ok
`
    return Effect.gen(function*() {
      const engine = yield* Engine
      const batch = yield* engine.run(env.compile(source), { x: "a" })
      expect(batch.outputs).toEqual({ ok: "A" })
      expect(batch.errors["c"]).toMatchObject({ code: "module_defect", module: "Crash" })
      expect(JSON.stringify(batch)).not.toContain("secret")
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("invalid inputs are rejected before anything runs, naming the path", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const error = yield* Effect.flip(engine.runStreaming(env.compile(FAN_OUT), { text: 3 }))
      expect(error._tag).toBe("InputError")
      expect(error.message).toContain("input 'text': expected String, got 3")
      expect(probe.started).toEqual([])
    }).pipe(Effect.provide(env.layer))
  })
})

describe("Engine.run (batch)", () => {
  it.effect("returns all three fan-out outputs together at 500 ms", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const fiber = yield* Effect.fork(Effect.zip(engine.run(env.compile(FAN_OUT), { text: "hi" }), Clock.currentTimeMillis))
      yield* TestClock.adjust("1 second")
      const [batch, at] = yield* Fiber.join(fiber)
      expect(at).toBe(500)
      expect(batch.outputs).toEqual({ fast: "fast", medium: "medium", slow: "slow" })
      expect(batch.status).toBe("completed")
      expect(batch.durationMs).toBe(500)
    }).pipe(Effect.provide(env.layer))
  })
})

describe("interruption", () => {
  it.effect("interrupting a batch run interrupts its modules and leaves nothing running", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const fiber = yield* Effect.fork(engine.run(env.compile(FAN_OUT), { text: "hi" }))
      yield* TestClock.adjust("20 millis")
      yield* Fiber.interrupt(fiber)
      expect(probe.finished.sort()).toEqual(["fast"])
      expect(probe.interrupted.sort()).toEqual(["medium", "slow"])
      expect(engine.stats()).toMatchObject({ runningModules: 0, activeExecutions: 0 })
    }).pipe(Effect.provide(env.layer))
  })
})

describe("Engine.prepare (a log read through a writer instead of a Stream)", () => {
  it.effect("runs once: a second run of the same execution does nothing and changes nothing", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const execution = yield* engine.prepare(env.compile(FAN_OUT), { text: "hi" })
      const fiber = yield* Effect.fork(execution.run)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      const events = execution.log.lastSeq
      const started = probe.started.length
      expect(execution.log.finished).toBe(true)
      yield* execution.run
      expect(execution.log.lastSeq).toBe(events)
      expect(probe.started.length).toBe(started)
    }).pipe(Effect.provide(env.layer))
  })
  it.effect("writes every event to the holding reader in completion order, the execution waiting while it is full", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const seen: Array<readonly [number, string]> = []
      let accepting = false
      const clock = yield* Effect.clock
      const runFork = Runtime.runFork(yield* Effect.runtime<never>())
      // Refuses everything until opened 100 ms after the first wait: the execution must wait, not drop events.
      const writer: LogWriter = {
        write: (e) => void seen.push([clock.unsafeCurrentTimeMillis(), e._tag === "Output" ? e.name : e._tag]),
        hasRoom: () => accepting,
        onRoom: (wake) => {
          const fiber = runFork(Effect.zipRight(Effect.sleep("100 millis"), Effect.sync(() => {
            accepting = true
            wake()
          })))
          return () => runFork(Fiber.interrupt(fiber))
        }
      }
      const execution = yield* engine.prepare(env.compile(FAN_OUT), { text: "hi" })
      execution.log.read(writer, { holdsExecution: true })
      const fiber = yield* Effect.fork(execution.run)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(seen).toEqual([[105, "fast"], [105, "medium"], [500, "slow"]])
      expect(probe.running).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })
  it.effect("goes on when a full writer makes room at once, with progress events coalesced meanwhile", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const seen: Array<string> = []
      let room = false
      // Never has room when first asked, always at once when waited on: the execution must not stall.
      const writer: LogWriter = {
        write: (e) => {
          room = false
          seen.push(e._tag === "Output" ? e.name : e._tag)
        },
        hasRoom: () => room,
        onRoom: (wake) => {
          room = true
          wake()
          return () => {}
        }
      }
      const execution = yield* engine.prepare(env.compile(FAN_OUT), { text: "hi" }, { progress: true })
      execution.log.read(writer, { holdsExecution: true })
      const fiber = yield* Effect.fork(execution.run)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(seen.filter((t) => ["fast", "medium", "slow"].includes(t))).toEqual(["fast", "medium", "slow"])
      expect(seen[seen.length - 1]).toBe("slow")
      expect(seen.filter((t) => t === "ModuleCompleted")).toHaveLength(3)
      expect(probe.running).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })
  it.effect("record equality compares the fields the type declares, not extra ones a value built in the pipeline carries", () => {
    const env = engineLayer(makeProbe())
    return Effect.gen(function*() {
      const engine = yield* Engine
      const source = [
        "in flag: Boolean",
        "r = if (flag) {a: 1, b: 2} else {a: 1}",
        "same = r == {a: 1}",
        "other = r != {a: 3}",
        "inList = [r, {a: 2}] == [{a: 1}, {a: 2}]",
        "maybe = (r when flag) == {a: 1}",
        "whole = {a: 1, b: 2} == {a: 1, b: 3}",
        "out same",
        "out other",
        "out inList",
        "out maybe",
        "out whole"
      ].join("\n")
      const result = yield* engine.run(env.compile(source), { flag: true })
      expect(result.outputs).toEqual({ same: true, other: true, inList: true, maybe: true, whole: false })
    }).pipe(Effect.provide(env.layer))
  })
})
