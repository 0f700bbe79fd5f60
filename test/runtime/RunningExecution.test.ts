/**
 * `engine.start`: an execution in the background with any number of
 * readers, in virtual time. Readers join at any moment (from the first
 * event, or after a snapshot's seq), never hold the run back, and stopping
 * one stops only that one; cancel keeps what was computed; closing the
 * scope interrupts the run.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Scope, Stream, TestClock } from "effect"
import { Engine } from "../../src/runtime/Engine.js"
import type { ExecutionEvent } from "../../src/runtime/ExecutionEvent.js"
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

const names = (events: Iterable<ExecutionEvent>) =>
  [...events].flatMap((e) => (e._tag === "Output" || e._tag === "OutputFailed" ? [e.name] : []))

describe("engine.start", () => {
  it.scoped("readers from the start and joiners after a snapshot each see every output once; the run waits for none", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const running = yield* engine.start(env.compile(FAN_OUT), { text: "hi" }, { progress: true })
      const first = yield* Effect.fork(Stream.runCollect(running.events()))
      // A reader that never pulls: one event fits its buffer, then it waits; the run does not.
      const stalled = yield* Effect.fork(Stream.runCollect(Stream.mapEffect(running.events({ maxBuffered: 1 }), () => Effect.never)))
      yield* TestClock.adjust("60 millis")
      const snapshot = running.snapshot()
      expect(names(snapshot.results)).toEqual(["fast", "medium"])
      expect(snapshot.outputStatus.get("slow")).toBe("pending")
      expect(snapshot.finished).toBe(false)
      const joined = yield* Effect.fork(Stream.runCollect(running.events({ after: snapshot.seq })))
      yield* TestClock.adjust("440 millis")
      // The run ended at 500 ms, on time, although one reader never read.
      expect(running.log.finished).toBe(true)
      expect(names(Chunk.toArray(yield* Fiber.join(first)))).toEqual(["fast", "medium", "slow"])
      expect(names(Chunk.toArray(yield* Fiber.join(joined)))).toEqual(["slow"])
      const result = yield* running.await
      expect(result).toMatchObject({ status: "completed", outputs: { fast: "fast", medium: "medium", slow: "slow" }, durationMs: 500 })
      yield* Fiber.interrupt(stalled)
      // After the end, a reader still gets everything, and a snapshot says finished.
      expect(names(Chunk.toArray(yield* Stream.runCollect(running.events())))).toEqual(["fast", "medium", "slow"])
      expect(running.snapshot()).toMatchObject({ finished: true })
    }).pipe(Effect.provide(env.layer))
  })

  it.scoped("starts the modules before it returns, so their timers run while a reader sets up", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const running = yield* engine.start(env.compile(FAN_OUT), { text: "hi" })
      // No reader yet and no turn of the scheduler: every module has started (its sleep armed).
      expect([...probe.started].sort()).toEqual(["fast", "medium", "slow"])
      yield* TestClock.adjust("5 millis")
      expect(names(running.snapshot().results)).toEqual(["fast"])
      // A reader that comes after still gets every output, once.
      const reader = yield* Effect.fork(Stream.runCollect(running.events()))
      yield* TestClock.adjust("500 millis")
      expect(names(Chunk.toArray(yield* Fiber.join(reader)))).toEqual(["fast", "medium", "slow"])
    }).pipe(Effect.provide(env.layer))
  })

  it.scoped("a reader that stops early stops only itself", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const running = yield* engine.start(env.compile(FAN_OUT), { text: "hi" })
      const one = yield* Effect.fork(Stream.runCollect(Stream.take(running.events(), 1)))
      yield* TestClock.adjust("10 millis")
      expect(names(Chunk.toArray(yield* Fiber.join(one)))).toEqual(["fast"])
      expect(probe.interrupted).toEqual([])
      yield* TestClock.adjust("500 millis")
      expect(probe.finished.sort()).toEqual(["fast", "medium", "slow"])
    }).pipe(Effect.provide(env.layer))
  })

  it.scoped("cancel stops every module and keeps what was computed; every reader gets the final event", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const running = yield* engine.start(env.compile(FAN_OUT), { text: "hi" })
      const reader = yield* Effect.fork(Stream.runCollect(running.events()))
      yield* TestClock.adjust("60 millis")
      yield* running.cancel({ code: "stopped_by_user", message: "enough", module: null })
      expect(probe.interrupted).toEqual(["slow"])
      const events = Chunk.toArray(yield* Fiber.join(reader))
      expect(events.at(-1)).toMatchObject({ _tag: "ExecutionFailed", error: { code: "stopped_by_user" }, missing: ["slow"], isFinal: true })
      expect(yield* running.await).toMatchObject({ status: "partial", outputs: { fast: "fast", medium: "medium" } })
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("closing the scope interrupts the run", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    return Effect.gen(function*() {
      const engine = yield* Engine
      const scope = yield* Scope.make()
      const running = yield* Scope.extend(engine.start(env.compile(FAN_OUT), { text: "hi" }), scope)
      yield* TestClock.adjust("10 millis")
      yield* Scope.close(scope, Exit.void)
      expect(probe.interrupted.sort()).toEqual(["medium", "slow"])
      expect(running.log.finalEvent).toMatchObject({ _tag: "ExecutionFailed", error: { code: "cancelled" } })
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("invalid inputs fail before anything runs", () => {
    const env = engineLayer(makeProbe())
    return Effect.gen(function*() {
      const engine = yield* Engine
      const exit = yield* Effect.exit(Effect.scoped(engine.start(env.compile(FAN_OUT), { text: 3 })))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(engine.stats().executionsStarted).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })
})
