/**
 * `priority`: when the engine-wide bound is reached, waiting calls get
 * permits by priority, in arrival order within one, and waiting ages a
 * call so newer high-priority calls pass it for a bounded time only.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { Engine } from "../../../src/runtime/Engine.js"
import * as Scheduler from "../../../src/runtime/Scheduler.js"
import { engineLayer, makeProbe } from "../support.js"

describe("priority", () => {
  it.effect("waiting calls start by priority, FIFO within a level", () => {
    const probe = makeProbe()
    const env = engineLayer(probe, 1)
    const hold = env.compile(`in t: String
x = Work(t, 100)
out x`)
    const at = (level: string) =>
      env.compile(`in t: String
x = Work(t, 10) with priority: ${level}
out x`)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const first = yield* Effect.fork(engine.run(hold, { t: "hold" }))
      yield* TestClock.adjust(1)
      const waiting = yield* Effect.forEach(
        [["low1", "low"], ["normal", "normal"], ["critical", "critical"], ["low2", "low"], ["n70", "70"], ["bg", "background"]],
        ([t, level]) => Effect.fork(engine.run(at(level!), { t })),
        { concurrency: 1 }
      )
      yield* TestClock.adjust(1000)
      yield* Fiber.join(first)
      yield* Effect.forEach(waiting, Fiber.join)
      expect(probe.started).toEqual(["hold", "critical", "n70", "normal", "low1", "low2", "bg"])
    }).pipe(Effect.provide(env.layer))
  })

  it("ages waiters: a background call is passed by critical ones arriving within 50 s only", () => {
    const scheduler = Scheduler.make(1)
    const order: Array<string> = []
    expect(scheduler.tryAcquire()).toBe(true)
    scheduler.whenAvailable(() => order.push("background"), 0, 0)
    scheduler.whenAvailable(() => order.push("critical at 40 s"), 100, 40_000)
    scheduler.whenAvailable(() => order.push("critical at 60 s"), 100, 60_000)
    scheduler.release(false)
    scheduler.release(false)
    scheduler.release(false)
    expect(order).toEqual(["critical at 40 s", "background", "critical at 60 s"])
  })

  it("a cancelled waiter is not granted", () => {
    const scheduler = Scheduler.make(1)
    const order: Array<string> = []
    scheduler.tryAcquire()
    const cancel = scheduler.whenAvailable(() => order.push("high"), 80, 0)
    scheduler.whenAvailable(() => order.push("low"), 20, 0)
    cancel()
    scheduler.release(false)
    expect(order).toEqual(["low"])
  })
})
