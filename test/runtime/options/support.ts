/**
 * Running a pipeline to its end under the test clock, with the virtual time
 * of every event: for the tests of call options and demand.
 */
import { Chunk, Clock, Effect, Fiber, Stream, TestClock } from "effect"
import { Engine } from "../../../src/runtime/Engine.js"
import type { ExecutionEvent } from "../../../src/runtime/ExecutionEvent.js"

/** Every event of a run with `progress`, each with the virtual time it arrived at since the start; the clock is moved `advance` ms. */
export const runTimed = (pipeline: Parameters<Engine["Type"]["runStreaming"]>[0], inputs: unknown, advance = 60_000) =>
  Effect.gen(function*() {
    const engine = yield* Engine
    const start = yield* Clock.currentTimeMillis
    const stream = yield* engine.runStreaming(pipeline, inputs, { progress: true })
    const fiber = yield* Effect.fork(
      Stream.runCollect(Stream.mapEffect(stream, (e) => Effect.map(Clock.currentTimeMillis, (t) => [t - start, e] as const)))
    )
    yield* TestClock.adjust(advance)
    return Chunk.toArray(yield* Fiber.join(fiber))
  })

/** `name=value@t` for outputs, `name!code@t` for failed ones. */
export const outputsAt = (events: ReadonlyArray<readonly [number, ExecutionEvent]>): Array<string> =>
  events.flatMap(([t, e]) =>
    e._tag === "Output"
      ? [`${e.name}=${JSON.stringify(e.value)}@${t}`]
      : e._tag === "OutputFailed"
      ? [`${e.name}!${e.error.code}@${t}`]
      : []
  )

/** The modules reported skipped, as `module:cause`. */
export const skipped = (events: ReadonlyArray<readonly [number, ExecutionEvent]>): Array<string> =>
  events.flatMap(([, e]) => (e._tag === "ModuleSkipped" ? [`${e.module}:${e.cause}`] : []))
