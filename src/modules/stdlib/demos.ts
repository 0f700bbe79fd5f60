/**
 * Stand-ins for the services the reference's resilience and caching
 * examples call: an expensive computation, a service that times out, one
 * that always fails, a resource-intensive task and a deep analysis. They do
 * no real work: each waits a fixed time on Effect's `Clock` (so tests drive
 * them with `TestClock`) and returns a value made from its argument.
 */
import { Duration, Effect, Schema } from "effect"
import * as Module from "../Module.js"
import { ModuleError } from "../ModuleError.js"

const after = <A>(ms: number, f: () => A): Effect.Effect<A> => Effect.map(Effect.sleep(Duration.millis(ms)), f)

export const ExpensiveCompute = Module.make({
  name: "ExpensiveCompute",
  description: "Stand-in for an expensive computation: after 2 seconds, returns n * n. Fails with int_overflow when the square is not a safe Int.",
  params: { n: Module.Int },
  result: Module.Int,
  run: ({ n }) =>
    Number.isSafeInteger(n * n)
      ? after(2000, () => n * n)
      : Effect.fail(new ModuleError({ code: "int_overflow", message: `ExpensiveCompute: ${n} * ${n} is outside the range of Int` }))
})

export const TimeoutService = Module.make({
  name: "TimeoutService",
  description: "Stand-in for a service that hangs: answers \"late reply to <request>\" only after 30 seconds, so any sensible timeout ends it first.",
  params: { request: Schema.String },
  result: Schema.String,
  run: ({ request }) => after(30_000, () => `late reply to ${request}`)
})

export const AlwaysFails = Module.make({
  name: "AlwaysFails",
  description: "Stand-in for a service that is down: after 10 ms, fails with service_unavailable, every time.",
  params: { request: Schema.String },
  result: Schema.String,
  run: ({ request }) =>
    Effect.zipRight(
      Effect.sleep(Duration.millis(10)),
      Effect.fail(new ModuleError({ code: "service_unavailable", message: `AlwaysFails: the service is down (request ${request})` }))
    )
})

export const ResourceIntensiveTask = Module.make({
  name: "ResourceIntensiveTask",
  description: "Stand-in for a task that needs a scarce resource: after 200 ms, returns \"processed <job>\". Use it with concurrency.",
  params: { job: Schema.String },
  result: Schema.String,
  run: ({ job }) => after(200, () => `processed ${job}`)
})

const Analysis = Schema.Struct({ words: Module.Int, characters: Module.Int, summary: Schema.String })

export const DeepAnalysis = Module.make({
  name: "DeepAnalysis",
  description: "Stand-in for a slow, thorough analysis: after 1.5 seconds, returns the text's word and character counts and its first word as a summary.",
  params: { text: Schema.String },
  result: Analysis,
  run: ({ text }) =>
    after(1500, () => {
      const words = text.split(/\s+/).filter((w) => w.length > 0)
      return { words: words.length, characters: text.length, summary: words[0] ?? "" }
    })
})

/** The stand-in services. */
export const demoModules: ReadonlyArray<Module.Module<never>> = [ExpensiveCompute, TimeoutService, AlwaysFails, ResourceIntensiveTask, DeepAnalysis]
