/**
 * The options that hold across executions of one engine: `cache` (results
 * by module and argument values, for a time, errors never), `throttle` (a
 * token bucket per module: callers wait) and `concurrency` (at most N calls
 * at once). Interrupted waits leave nothing taken.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, TestClock } from "effect"
import { Engine } from "../../../src/runtime/Engine.js"
import * as ModuleCache from "../../../src/runtime/ModuleCache.js"
import { engineLayer, makeProbe } from "../support.js"
import { outputsAt, runTimed } from "./support.js"

/** Runs `pipeline` once in a fiber; its value is the virtual time it ended at. */
const endsAt = (pipeline: Parameters<Engine["Type"]["run"]>[0], inputs: unknown) =>
  Effect.flatMap(Engine, (engine) => Effect.zipRight(engine.run(pipeline, inputs), Clock.currentTimeMillis)).pipe(Effect.fork)

describe("cache", () => {
  it.effect("a second execution with the same arguments is answered at once; other arguments miss", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
x = Work(t, 100) with cache: 1min
out x`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { t: "a" }))).toEqual(["x=\"a\"@100"])
      expect(outputsAt(yield* runTimed(p, { t: "a" }))).toEqual(["x=\"a\"@0"])
      expect(outputsAt(yield* runTimed(p, { t: "b" }))).toEqual(["x=\"b\"@100"])
      expect(probe.started).toEqual(["a", "b"])
      const engine = yield* Engine
      expect(engine.cacheStats()).toMatchObject({ hits: 1, misses: 2, entries: 2 })
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("an entry expires after its duration; errors are never cached", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
x = Work(t, 10) with cache: 1s
y = Fail(t, 10) with cache: 1s
out x
out y`)
    return Effect.gen(function*() {
      yield* runTimed(p, { t: "a" }, 500)
      yield* runTimed(p, { t: "a" }, 1000)
      expect(probe.started).toEqual(["a", "a", "a"])
      yield* runTimed(p, { t: "a" }, 1000)
      expect(probe.started).toEqual(["a", "a", "a", "a", "a"])
    }).pipe(Effect.provide(env.layer))
  })

  it("keeps at most its capacity, dropping the least recently used", () => {
    const cache = ModuleCache.make(2)
    cache.set("a", 1, 100)
    cache.set("b", 2, 100)
    expect(cache.get("a", 0)).toBe(1)
    cache.set("c", 3, 100)
    expect(cache.get("b", 0)).toBeUndefined()
    expect(cache.get("a", 0)).toBe(1)
    expect(cache.get("c", 200)).toBeUndefined()
    expect(cache.stats()).toEqual({ hits: 2, misses: 2, evictions: 2, entries: 1, capacity: 2 })
  })

  it("when every entry was used, the oldest goes after its second chance, never the one just stored", () => {
    const cache = ModuleCache.make(2)
    cache.set("a", 1, 100)
    cache.set("b", 2, 100)
    expect(cache.get("a", 0)).toBe(1)
    expect(cache.get("b", 0)).toBe(2)
    cache.set("c", 3, 100)
    expect(cache.get("c", 0)).toBe(3)
    expect(cache.get("a", 0)).toBeUndefined()
    expect(cache.get("b", 0)).toBe(2)
    expect(cache.stats().entries).toBe(2)
  })
})

describe("throttle", () => {
  it.effect("lets a burst through, then one call per token across executions", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
x = Work(t, 1) with throttle: 2/1s
out x`)
    return Effect.gen(function*() {
      const fibers = yield* Effect.forEach(["a", "b", "c", "d"], (t) => endsAt(p, { t }))
      yield* TestClock.adjust(2000)
      expect(yield* Effect.forEach(fibers, Fiber.join)).toEqual([1, 1, 501, 1001])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("an interrupted wait takes no token", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
x = Work(t, 1) with throttle: 1/1s
out x`)
    return Effect.gen(function*() {
      const first = yield* endsAt(p, { t: "a" })
      const waiting = yield* endsAt(p, { t: "b" })
      yield* TestClock.adjust(100)
      yield* Fiber.interrupt(waiting)
      yield* TestClock.adjust(900)
      const next = yield* endsAt(p, { t: "c" })
      yield* TestClock.adjust(100)
      expect(yield* Fiber.join(first)).toBe(1)
      expect(yield* Fiber.join(next)).toBe(1001)
      expect(probe.started).toEqual(["a", "c"])
    }).pipe(Effect.provide(env.layer))
  })
})

describe("concurrency", () => {
  it.effect("runs at most N calls of the module at once across executions", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
x = Work(t, 100) with concurrency: 2
out x`)
    return Effect.gen(function*() {
      const fibers = yield* Effect.forEach(["a", "b", "c", "d", "e"], (t) => endsAt(p, { t }))
      yield* TestClock.adjust(1000)
      expect(yield* Effect.forEach(fibers, Fiber.join)).toEqual([100, 100, 200, 200, 300])
      expect(probe.maxRunning).toBe(2)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("an interrupted wait leaves no slot taken", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
x = Work(t, 100) with concurrency: 1
out x`)
    return Effect.gen(function*() {
      const first = yield* endsAt(p, { t: "a" })
      const waiting = yield* endsAt(p, { t: "b" })
      yield* TestClock.adjust(10)
      yield* Fiber.interrupt(waiting)
      const next = yield* endsAt(p, { t: "c" })
      yield* TestClock.adjust(500)
      expect(yield* Fiber.join(first)).toBe(100)
      expect(yield* Fiber.join(next)).toBe(200)
      expect(probe.started).toEqual(["a", "c"])
    }).pipe(Effect.provide(env.layer))
  })
})
