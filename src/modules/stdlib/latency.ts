/**
 * Modules that take time, for demonstrating streaming and resilience. They
 * wait with `Effect.sleep`, so they run on Effect's `Clock` and tests drive
 * them with `TestClock` instead of waiting.
 */
import { Duration, Effect, Schema } from "effect"
import * as Module from "../Module.js"
import { ModuleError } from "../ModuleError.js"
import { typeVariable } from "../typeFromSchema.js"

/** A module that waits `ms` and then returns what `f` gives. */
const after = <A>(ms: number, f: () => A): Effect.Effect<A> => Effect.map(Effect.sleep(Duration.millis(ms)), f)

export const Delay = Module.make({
  name: "Delay",
  description:
    "Returns its value unchanged after waiting ms milliseconds; the result has the value's type. Fails with invalid_argument when ms is negative.",
  params: { value: typeVariable("T"), ms: Module.Int },
  result: typeVariable("T"),
  run: ({ value, ms }) =>
    ms < 0
      ? Effect.fail(new ModuleError({ code: "invalid_argument", message: `Delay: ms must not be negative, got ${ms}` }))
      : after(ms, () => value)
})

export const QuickCheck = Module.make({
  name: "QuickCheck",
  description: "After 10 ms, returns whether the text has a non-whitespace character (true for \" a \", false for \"  \").",
  params: { text: Schema.String },
  result: Schema.Boolean,
  run: ({ text }) => after(10, () => text.trim() !== "")
})

export const RateLimitedApi = Module.make({
  name: "RateLimitedApi",
  description: "Simulates a rate-limited API call: after 50 ms, returns \"api:<query>\".",
  params: { query: Schema.String },
  result: Schema.String,
  run: ({ query }) => after(50, () => `api:${query}`)
})

export const SlowQuery = Module.make({
  name: "SlowQuery",
  description: "Simulates a slow database query: after 500 ms, returns \"rows for <query>\".",
  params: { query: Schema.String },
  result: Schema.String,
  run: ({ query }) => after(500, () => `rows for ${query}`)
})

export const SlowApiCall = Module.make({
  name: "SlowApiCall",
  description: "Simulates a slow remote call: after 1 second, returns \"response to <request>\".",
  params: { request: Schema.String },
  result: Schema.String,
  run: ({ request }) => after(1000, () => `response to ${request}`)
})

/**
 * `FlakyService` with its own call counter: calls 1 and 2 of every 3 fail,
 * so a retry of 2 or more always gets through.
 */
export const makeFlakyService = (): Module.Module<never> => {
  let calls = 0
  return Module.make({
    name: "FlakyService",
    description:
      "Simulates an unreliable service: after 10 ms, calls 1 and 2 of every 3 fail with service_unavailable and call 3 returns \"data for <id>\". Use it with retry: 3 (the count is per server).",
    params: { id: Schema.String },
    result: Schema.String,
    run: ({ id }) =>
      Effect.suspend(() => {
        calls += 1
        const call = calls
        return Effect.flatMap(
          Effect.sleep(Duration.millis(10)),
          () =>
            call % 3 === 0
              ? Effect.succeed(`data for ${id}`)
              : Effect.fail(new ModuleError({ code: "service_unavailable", message: `FlakyService: the service is unavailable (call ${call}); try again` }))
        )
      })
  })
}

/** The latency modules, with a fresh `FlakyService` counter. */
export const makeLatencyModules = (): ReadonlyArray<Module.Module<never>> => [
  Delay,
  QuickCheck,
  RateLimitedApi,
  SlowQuery,
  SlowApiCall,
  makeFlakyService()
]
