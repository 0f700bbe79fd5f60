import { describe, expect, it } from "@effect/vitest"
import { Chunk, Clock, Effect, Fiber, Stream, TestClock } from "effect"
import fc from "fast-check"
import { Engine } from "../../src/runtime/Engine.js"
import { engineLayer, makeProbe } from "./support.js"

interface NodeSpec { readonly ms: number; readonly deps: ReadonlyArray<number>; readonly fails: boolean; readonly out: boolean }

const dagArb = fc.array(
  fc.record({
    ms: fc.integer({ min: 0, max: 60 }),
    deps: fc.array(fc.nat(), { maxLength: 3 }),
    fails: fc.integer({ min: 0, max: 9 }).map((k) => k < 2),
    out: fc.boolean()
  }),
  { minLength: 1, maxLength: 25 }
).map((nodes): ReadonlyArray<NodeSpec> =>
  nodes.map((n, i) => ({ ...n, deps: i === 0 ? [] : [...new Set(n.deps.map((d) => d % i))], out: n.out || i === nodes.length - 1 }))
)

const toSource = (nodes: ReadonlyArray<NodeSpec>): string => {
  const lines = ["in x: String"]
  nodes.forEach((n, i) => {
    const label = n.deps.length === 0 ? `"n${i}"` : n.deps.map((d) => `n${d}`).reduce((a, b) => `Concat(${a}, ${b})`)
    lines.push(`n${i} = ${n.fails ? "Fail" : "Work"}(${label}, ${n.ms})`)
    if (n.out) lines.push(`out n${i}`)
  })
  return lines.join("\n")
}

describe("runtime properties", () => {
  it.effect("for random DAGs and latencies, the stream equals the batch, each output once, in completion order", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const samples = fc.sample(dagArb, { numRuns: 40, seed: 42 })
    return Effect.gen(function*() {
      const engine = yield* Engine
      for (const nodes of samples) {
        const pipeline = env.compile(toSource(nodes))
        const streamed = yield* engine.runStreaming(pipeline, { x: "" })
        const fiber = yield* Effect.fork(Effect.zip(
          Stream.runCollect(Stream.mapEffect(streamed, (e) => Effect.map(Clock.currentTimeMillis, (t) => [t, e] as const))),
          engine.run(pipeline, { x: "" }),
          { concurrent: true }
        ))
        yield* TestClock.adjust("10 seconds")
        const [collected, batch] = yield* Fiber.join(fiber)
        const events = Chunk.toArray(collected)
        const names = events.flatMap(([, e]) => (e._tag === "Output" || e._tag === "OutputFailed" ? [e.name] : []))
        const declared = pipeline.dag.outputs.map((o) => o.name)
        expect([...names].sort()).toEqual([...declared].sort())
        expect(new Set(names).size).toBe(names.length)
        const streamedValues = Object.fromEntries(events.flatMap(([, e]) => (e._tag === "Output" ? [[e.name, e.value]] : [])))
        expect(streamedValues).toEqual(batch.outputs)
        const streamedErrors = Object.fromEntries(events.flatMap(([, e]) => (e._tag === "OutputFailed" ? [[e.name, e.error]] : [])))
        expect(streamedErrors).toEqual(batch.errors)
        const times = events.map(([t]) => t)
        expect(times).toEqual([...times].sort((a, b) => a - b))
        expect(events.map(([, e]) => e.timestamp)).toEqual(times)
        expect(events.filter(([, e]) => "isFinal" in e && e.isFinal).length).toBe(1)
        expect(events[events.length - 1]![1]).toMatchObject({ isFinal: true })
      }
      expect(probe.running).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })
})
