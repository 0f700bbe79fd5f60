import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, TestClock } from "effect"
import { loadOnce } from "../../src/internal/loadOnce.js"

describe("loadOnce", () => {
  it.effect("runs the load once, for every caller", () =>
    Effect.gen(function*() {
      let runs = 0
      const load = loadOnce(Effect.as(Effect.andThen(Effect.sync(() => runs++), Effect.sleep("1 second")), "loaded"))
      const callers = yield* Effect.forkAll([load, load, load])
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(callers)).toEqual(["loaded", "loaded", "loaded"])
      expect(yield* load).toBe("loaded")
      expect(runs).toBe(1)
    }))

  it.effect("goes on loading when the first caller is interrupted, and the next caller gets the value", () =>
    Effect.gen(function*() {
      let runs = 0
      const load = loadOnce(Effect.as(Effect.andThen(Effect.sync(() => runs++), Effect.sleep("1 second")), "loaded"))
      const first = yield* Effect.fork(load)
      yield* TestClock.adjust("100 millis")
      expect(Exit.isInterrupted(yield* Fiber.interrupt(first))).toBe(true)
      const next = yield* Effect.fork(load)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(next)).toBe("loaded")
      expect(runs).toBe(1)
    }))

  it.effect("keeps a failure for every later caller", () =>
    Effect.gen(function*() {
      let runs = 0
      const load = loadOnce(Effect.andThen(Effect.sync(() => runs++), Effect.fail("broken" as const)))
      expect(yield* Effect.flip(load)).toBe("broken")
      expect(yield* Effect.flip(load)).toBe("broken")
      expect(runs).toBe(1)
    }))
})
