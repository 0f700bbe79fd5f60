import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Stream, TestClock } from "effect"
import { Engine } from "../../src/runtime/Engine.js"
import { engineLayer, makeProbe } from "./support.js"

/** `n` independent `Work` calls of `ms` each, every one an output. */
const wide = (n: number, ms: number) =>
  ["in x: String", ...Array.from({ length: n }, (_, i) => `w${i} = Work("w${i}", ${ms})\nout w${i}`)].join("\n")

/** A chain: each `Work` takes the previous one's result as its label. */
const chain = (n: number, ms: number) =>
  ["in x: String", `c0 = Work(x, ${ms})`, ...Array.from({ length: n - 1 }, (_, i) => `c${i + 1} = Work(c${i}, ${ms})`), ...Array.from({ length: n }, (_, i) => `out c${i}`)].join("\n")

/** A diamond lattice: each layer's modules read two of the layer before. */
const layers = (depth: number, width: number) => {
  const lines = ["in x: String"]
  for (let i = 0; i < width; i++) lines.push(`l0_${i} = Work(x, 1)`)
  for (let d = 1; d < depth; d++) {
    for (let i = 0; i < width; i++) lines.push(`l${d}_${i} = Work(Concat(l${d - 1}_${i}, l${d - 1}_${(i + 1) % width}), 1)`)
  }
  for (let i = 0; i < width; i++) lines.push(`out l${depth - 1}_${i}`)
  return lines.join("\n")
}

describe("scheduling", () => {
  it.effect("the per-execution concurrency bound is never exceeded", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const fiber = yield* Effect.fork(engine.run(env.compile(wide(20, 10)), { x: "" }, { concurrency: 3 }))
      yield* TestClock.adjust("1 second")
      const batch = yield* Fiber.join(fiber)
      expect(batch.status).toBe("completed")
      expect(probe.started.length).toBe(20)
      expect(probe.maxRunning).toBe(3)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("the engine-wide bound holds across executions", () => {
    const probe = makeProbe()
    const env = engineLayer(probe, 4)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const pipeline = env.compile(wide(10, 10))
      const fiber = yield* Effect.fork(Effect.all([1, 2, 3].map(() => engine.run(pipeline, { x: "" })), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 second")
      const results = yield* Fiber.join(fiber)
      expect(results.map((r) => r.status)).toEqual(["completed", "completed", "completed"])
      expect(probe.started.length).toBe(30)
      expect(probe.maxRunning).toBe(4)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("no DAG shape deadlocks at concurrency 1", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      for (const source of [chain(30, 1), layers(5, 6), wide(12, 1)]) {
        const fiber = yield* Effect.fork(engine.run(env.compile(source), { x: "a" }, { concurrency: 1 }))
        yield* TestClock.adjust("10 seconds")
        const batch = yield* Fiber.join(fiber)
        expect(batch.status).toBe("completed")
      }
      expect(probe.maxRunning).toBe(1)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a consumer that never pulls blocks the producer at maxBuffered", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(chain(40, 1)), { x: "a" }, { maxBuffered: 5 })
      // Start the execution but take nothing yet: pull through a latch we hold closed.
      const pulled: Array<string> = []
      const gate = yield* Effect.makeLatch(false)
      const fiber = yield* Effect.fork(Stream.runForEach(stream, (e) =>
        Effect.zipRight(gate.await, Effect.sync(() => pulled.push(e._tag)))))
      yield* TestClock.adjust("10 seconds")
      // At most: one event in the blocked consumer's hand, 5 in the queue, one
      // waiting in offer, and the module launched just before: of 40, no more ran.
      expect(probe.finished.length).toBeLessThanOrEqual(5 + 3)
      expect(pulled.length).toBe(0)
      yield* gate.open
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(pulled.length).toBe(40)
      expect(probe.finished.length).toBe(40)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("streams large DAGs completely: chain, lattice and wide", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(layers(10, 20)), { x: "a" }, { progress: true })
      const fiber = yield* Effect.fork(Stream.runCollect(stream))
      yield* TestClock.adjust("1 minute")
      const events = Chunk.toArray(yield* Fiber.join(fiber))
      expect(events.filter((e) => e._tag === "Output").length).toBe(20)
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i))
      const last = events[events.length - 1]!
      expect(last).toMatchObject({ _tag: "Output", isFinal: true })
      expect(events.filter((e) => e._tag === "ModuleCompleted").length).toBe(200 + 180)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("progress events interleave with outputs in order and count every module", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(wide(3, 10)), { x: "" }, { progress: true })
      const fiber = yield* Effect.fork(Stream.runCollect(stream))
      yield* TestClock.adjust("1 second")
      const events = Chunk.toArray(yield* Fiber.join(fiber))
      const tags = events.map((e) => e._tag)
      expect(tags.filter((t) => t === "ModuleStarted").length).toBe(3)
      expect(tags.filter((t) => t === "ModuleCompleted").length).toBe(3)
      const progress = events.flatMap((e) => (e._tag === "Progress" ? [e.completed] : []))
      expect(progress).toEqual([1, 2, 3])
      expect(events.every((e) => e._tag !== "Progress" || e.total === 3)).toBe(true)
      expect(events.find((e) => e._tag === "ModuleCompleted")).toMatchObject({ module: "Work", latencyMs: 10 })
      expect(tags[tags.length - 1]).toBe("Output")
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a slow consumer sees coalesced progress counts but every output exactly once", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const source = ["in x: String", ...Array.from({ length: 30 }, (_, i) => `u${i} = Uppercase(Concat(x, "${i}"))\nout u${i}`)].join("\n")
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(source), { x: "a" }, { progress: true, maxBuffered: 2 })
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.tap(stream, () => Effect.sleep("10 millis"))))
      yield* TestClock.adjust("1 minute")
      const events = Chunk.toArray(yield* Fiber.join(fiber))
      const outputs = events.flatMap((e) => (e._tag === "Output" ? [e.name] : []))
      expect(outputs).toEqual(Array.from({ length: 30 }, (_, i) => `u${i}`))
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i))
      const counts = events.flatMap((e) => (e._tag === "Progress" ? [e.completed] : []))
      expect(counts).toEqual([...counts].sort((a, b) => a - b))
    }).pipe(Effect.provide(env.layer))
  })
})
