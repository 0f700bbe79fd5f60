import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Clock, Effect, Fiber, Stream, TestClock } from "effect"
import { Engine } from "../../src/runtime/Engine.js"
import { engineLayer, makeProbe } from "./support.js"

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8")

describe("examples under the virtual clock", () => {
  it.effect("fan-out.cst: outputs arrive at 5, 50 and 500 ms, in that order, the last final; batch at 500", () => {
    const env = engineLayer(makeProbe())
    return Effect.gen(function*() {
      const engine = yield* Engine
      const pipeline = env.compile(example("fan-out.cst"))
      const stream = yield* engine.runStreaming(pipeline, { query: "hello world" })
      const fiber = yield* Effect.fork(Effect.zip(
        Stream.runCollect(Stream.mapEffect(stream, (e) => Effect.map(Clock.currentTimeMillis, (t) => [t, e] as const))),
        Effect.zip(engine.run(pipeline, { query: "hello world" }), Clock.currentTimeMillis),
        { concurrent: true }
      ))
      yield* TestClock.adjust("1 second")
      const [events, [batch, batchAt]] = yield* Fiber.join(fiber)
      expect(Chunk.toArray(events).map(([t, e]) => [t, e._tag === "Output" ? e.name : e._tag, "isFinal" in e && e.isFinal])).toEqual([
        [5, "quick", false],
        [50, "medium", false],
        [500, "slow", true]
      ])
      expect(batchAt).toBe(500)
      expect(batch.outputs).toEqual({ quick: "HELLO WORLD", medium: 2, slow: "slow result for hello world" })
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("resilient.cst: the flaky call succeeds on its third attempt; the slow call falls back after its timeout", () => {
    const env = engineLayer(makeProbe())
    return Effect.gen(function*() {
      const engine = yield* Engine
      const stream = yield* engine.runStreaming(env.compile(example("resilient.cst")), { userId: "u1" }, { progress: true })
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.mapEffect(stream, (e) => Effect.map(Clock.currentTimeMillis, (t) => [t, e] as const))))
      yield* TestClock.adjust("10 seconds")
      const events = Chunk.toArray(yield* Fiber.join(fiber))
      const outputs = events.flatMap(([t, e]) => (e._tag === "Output" ? [[t, e.name, e.value, e.fromFallback]] : []))
      expect(outputs).toEqual([
        [200, "enriched", "enrichment timed out", true],
        // attempts at 0, 110 and 320 ms (10 ms each, then 100 and 200 ms of backoff)
        [330, "profile", "data for u1", false]
      ])
      const retries = events.flatMap(([t, e]) => (e._tag === "ModuleRetrying" ? [[t, e.module, e.attempt]] : []))
      expect(retries).toEqual([[10, "FlakyService", 2], [120, "FlakyService", 3]])
    }).pipe(Effect.provide(env.layer))
  })
})
