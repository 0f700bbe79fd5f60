import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Either, Exit, Fiber, Option, TestClock } from "effect"
import * as fc from "fast-check"
import { inlineSupported, isDone, MAX_OPS, runInline } from "../../../src/runtime/internal/runInline.js"

/** Runs what runInline left in a fiber (as the driver does), or takes its exit. */
const finish = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<Exit.Exit<A, E>> => {
  const r = runInline(effect)
  return isDone(r) ? Effect.succeed(r) : Effect.exit(r)
}

describe("runInline", () => {
  it("recognises this version of effect (else every module would take a fiber)", () => {
    expect(inlineSupported()).toBe(true)
  })

  it("runs sync, map, flatMap, suspend and gen to their end without a fiber", () => {
    let runs = 0
    const effect = Effect.gen(function*() {
      const a = yield* Effect.sync(() => ++runs)
      const b = yield* Effect.map(Effect.succeed(10), (x) => x + a)
      const c = yield* Effect.flatMap(Effect.suspend(() => Effect.succeed(b)), (x) => Effect.sync(() => x * 2))
      const d = yield* Option.some(1)
      const e = yield* Either.right(2)
      return c + d + e
    })
    const r = runInline(effect)
    expect(isDone(r)).toBe(true)
    expect(r).toStrictEqual(Exit.succeed(25))
    expect(runs).toBe(1)
  })

  it("a failure ends the effect: continuations after it never run", () => {
    let after = false
    const r = runInline(Effect.flatMap(Effect.fail("no"), () => Effect.sync(() => (after = true))))
    expect(isDone(r)).toBe(true)
    expect(Exit.isFailure(r as Exit.Exit<unknown, unknown>)).toBe(true)
    expect(Cause.failureOption((r as Exit.Failure<unknown, string>).cause)).toEqual(Option.some("no"))
    expect(after).toBe(false)
  })

  it.effect("stops at a wait, and a fiber goes on from there with the value and the rest of the generator", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const effect = Effect.gen(function*() {
        seen.push("before")
        const x = yield* Effect.as(Effect.sleep("10 millis"), 5)
        seen.push(`after ${x}`)
        return x + 1
      })
      const r = runInline(effect)
      expect(isDone(r)).toBe(false)
      // The part before the wait ran here, once; the rest waits for the fiber.
      expect(seen).toEqual(["before"])
      const fiber = yield* Effect.fork(r as Effect.Effect<number>)
      yield* TestClock.adjust("10 millis")
      expect(yield* Fiber.join(fiber)).toBe(6)
      expect(seen).toEqual(["before", "after 5"])
    }))

  it.effect("a thrown exception becomes a defect, as in a fiber", () =>
    Effect.gen(function*() {
      const boom = new Error("boom")
      const exit = yield* finish(Effect.map(Effect.sync(() => {
        throw boom
      }), () => 1))
      expect(Exit.isFailure(exit) && Cause.dieOption(exit.cause)).toEqual(Option.some(boom))
    }))

  it.effect("a long synchronous chain is handed to a fiber after MAX_OPS steps, with the right result", () =>
    Effect.gen(function*() {
      let effect: Effect.Effect<number> = Effect.succeed(0)
      for (let i = 0; i < MAX_OPS * 2; i++) effect = Effect.map(effect, (n) => n + 1)
      const r = runInline(effect)
      expect(isDone(r)).toBe(false)
      expect(yield* (r as Effect.Effect<number>)).toBe(MAX_OPS * 2)
    }))

  // Random effects made of what modules are made of: whatever runInline does, the exit and the
  // order of side effects are those of running the effect in a fiber.
  type Program = (log: Array<string>) => Effect.Effect<number, string>
  const leaf: fc.Arbitrary<Program> = fc.oneof(
    fc.integer({ min: 0, max: 9 }).map((n): Program => () => Effect.succeed(n)),
    fc.integer({ min: 0, max: 9 }).map((n): Program => (log) => Effect.sync(() => (log.push(`sync ${n}`), n))),
    fc.constantFrom("e1", "e2").map((e): Program => () => Effect.fail(e)),
    fc.constant<Program>(() => Effect.fail({ object: true } as unknown as string)),
    fc.constant<Program>(() => Effect.sync(() => {
      throw "thrown"
    })),
    fc.integer({ min: 0, max: 3 }).map((n): Program => (log) => Effect.as(Effect.tap(Effect.yieldNow(), () => log.push("yield")), n)),
    fc.constant<Program>((log) => Effect.map(Effect.clock, () => (log.push("clock"), 7)))
  )
  const program: fc.Arbitrary<Program> = fc.letrec<{ p: Program }>((tie) => ({
    p: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(tie("p"), tie("p")).map(([a, b]): Program => (log) => Effect.flatMap(a(log), (x) => Effect.map(b(log), (y) => x + y))),
      tie("p").map((a): Program => (log) => Effect.suspend(() => (log.push("suspend"), a(log)))),
      fc.tuple(tie("p"), tie("p")).map(([a, b]): Program => (log) =>
        Effect.gen(function*() {
          const x = yield* a(log)
          log.push(`gen ${x}`)
          const y = yield* b(log)
          return x * 10 + y
        })
      ),
      tie("p").map((a): Program => (log) => Effect.catchAll(a(log), () => Effect.succeed(-1)))
    )
  })).p

  it.effect("gives the same exit and side effects as a fiber (property)", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(program, async (p) => {
          const viaFiber: Array<string> = []
          const expected = await Effect.runPromise(Effect.exit(p(viaFiber)))
          const inline: Array<string> = []
          const actual = await Effect.runPromise(finish(p(inline)))
          expect(actual).toStrictEqual(expected)
          expect(inline).toEqual(viaFiber)
        }),
        { numRuns: 300 }
      )
    ))
})

describe("runInline on a generator that yields without yield*", () => {
  it.effect("is a defect, as in a fiber, not a throw", () =>
    Effect.gen(function*() {
      // eslint-disable-next-line require-yield
      const bad = Effect.gen(function*() {
        yield Effect.succeed(1) as never
        return 1
      })
      const expected = yield* Effect.exit(bad)
      const actual = yield* finish(bad)
      expect(Exit.isFailure(actual) && Cause.isDie(actual.cause)).toBe(true)
      expect(Exit.isFailure(expected) && Cause.isDie(expected.cause)).toBe(true)
    }))
})
