import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Fiber, Layer, Option, Schema, TestClock } from "effect"
import type { Value } from "../../src/lang/value.js"
import * as Module from "../../src/modules/Module.js"
import { ModuleError } from "../../src/modules/ModuleError.js"
import { ModuleRegistry, signature } from "../../src/modules/ModuleRegistry.js"
import { layerStdlib, layerWith, makeStdlib } from "../../src/modules/stdlib/index.js"

const stdlib = makeStdlib()

const find = (name: string, modules: ReadonlyArray<Module.Module<never>> = stdlib): Module.Module<never> => {
  const m = modules.find((x) => x.name === name)
  if (m === undefined) throw new Error(`no module ${name}`)
  return m
}

/** Calls a sync module by name. */
const call = (name: string, ...args: ReadonlyArray<Value>): Value | ModuleError => {
  const m = find(name)
  if (m.implementation._tag !== "Sync") throw new Error(`${name} is not a sync module`)
  return m.implementation.run(args)
}

const codeOf = (r: unknown): string | undefined => (r instanceof ModuleError ? r.code : undefined)

/**
 * Runs an Effect module on the test clock and checks it takes exactly `ms`
 * of virtual time: still running at `ms - 1`, done at `ms`.
 */
const timed = (m: Module.Module<never>, ms: number, ...args: ReadonlyArray<Value>) =>
  Effect.gen(function* () {
    if (m.implementation._tag !== "Effect") throw new Error(`${m.name} is not an Effect module`)
    const fiber = yield* Effect.fork(m.implementation.run(args))
    if (ms > 0) {
      yield* TestClock.adjust(Duration.millis(ms - 1))
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
    }
    yield* TestClock.adjust(Duration.millis(1))
    return yield* Fiber.await(fiber)
  })

const succeeded = (exit: Exit.Exit<Value, unknown>): Value => {
  if (Exit.isFailure(exit)) throw new Error(`failed: ${Cause.pretty(exit.cause)}`)
  return exit.value
}

const failureCode = (exit: Exit.Exit<Value, unknown>): string | undefined =>
  Exit.isFailure(exit) ? Option.match(Cause.failureOption(exit.cause), { onNone: () => undefined, onSome: codeOf }) : undefined

describe("the standard library", () => {
  it("has these signatures, each with a description", () => {
    expect(stdlib.filter((m) => !m.name.includes(".")).map(signature)).toEqual([
      "Uppercase(text: String): String",
      "Lowercase(text: String): String",
      "Trim(text: String): String",
      "Concat(a: String, b: String): String",
      "WordCount(text: String): Int",
      "TextLength(text: String): Int",
      "SplitLines(text: String): List<String>",
      "Split(text: String, separator: String): List<String>",
      "Replace(text: String, find: String, replacement: String): String",
      "Contains(text: String, substring: String): Boolean",
      "SumList(numbers: List<Float>): Float",
      "Average(numbers: List<Float>): Float",
      "Max(numbers: List<Float>): Float",
      "Min(numbers: List<Float>): Float",
      "FilterGreaterThan(numbers: List<Float>, threshold: Float): List<Float>",
      "MultiplyEach(numbers: List<Float>, factor: Float): List<Float>",
      "Range(start: Int, end: Int): List<Int>",
      "FormatNumber(number: Float, decimals: Int = 2): String",
      "Delay(value: T, ms: Int): T",
      "QuickCheck(text: String): Boolean",
      "RateLimitedApi(query: String): String",
      "SlowQuery(query: String): String",
      "SlowApiCall(request: String): String",
      "FlakyService(id: String): String",
      "ExpensiveCompute(n: Int): Int",
      "TimeoutService(request: String): String",
      "AlwaysFails(request: String): String",
      "ResourceIntensiveTask(job: String): String",
      "DeepAnalysis(text: String): {words: Int, characters: Int, summary: String}"
    ])
    for (const m of stdlib) expect(m.description.length, m.name).toBeGreaterThan(20)
  })
})

describe("text", () => {
  it("changes case and trims", () => {
    expect(call("Uppercase", "Hello, wörld")).toBe("HELLO, WÖRLD")
    expect(call("Lowercase", "Hello, WÖRLD")).toBe("hello, wörld")
    expect(call("Trim", " \t hi there \n")).toBe("hi there")
    expect(call("Concat", "foo", "bar")).toBe("foobar")
  })

  it("counts whitespace-separated words", () => {
    expect(call("WordCount", "the quick  brown\tfox\njumps")).toBe(5)
    expect(call("WordCount", "  leading and trailing  ")).toBe(3)
    expect(call("WordCount", "")).toBe(0)
    expect(call("WordCount", " \n\t ")).toBe(0)
  })

  it("measures length in code points", () => {
    expect(call("TextLength", "héllo")).toBe(5)
    expect(call("TextLength", "😀")).toBe(1)
    expect(call("TextLength", "")).toBe(0)
  })

  it("splits lines at every kind of line break", () => {
    expect(call("SplitLines", "a\nb\r\nc\rd")).toEqual(["a", "b", "c", "d"])
    expect(call("SplitLines", "a\n\nb\n")).toEqual(["a", "", "b"])
    expect(call("SplitLines", "one")).toEqual(["one"])
    expect(call("SplitLines", "")).toEqual([])
  })

  it("splits at a literal separator and rejects an empty one", () => {
    expect(call("Split", "a,b,,c", ",")).toEqual(["a", "b", "", "c"])
    expect(call("Split", "a.b", ".")).toEqual(["a", "b"])
    expect(call("Split", "abc", "-")).toEqual(["abc"])
    expect(codeOf(call("Split", "abc", ""))).toBe("invalid_argument")
  })

  it("replaces every literal occurrence", () => {
    expect(call("Replace", "a.b.c", ".", "-")).toBe("a-b-c")
    expect(call("Replace", "cost", "cost", "$&$&")).toBe("$&$&")
    expect(call("Replace", "aaa", "aa", "b")).toBe("ba")
    expect(call("Replace", "abc", "x", "y")).toBe("abc")
    expect(codeOf(call("Replace", "abc", "", "y"))).toBe("invalid_argument")
  })

  it("finds substrings", () => {
    expect(call("Contains", "constellation", "stell")).toBe(true)
    expect(call("Contains", "constellation", "Stell")).toBe(false)
    expect(call("Contains", "abc", "")).toBe(true)
  })
})

describe("data", () => {
  it("sums, averages and finds extremes", () => {
    expect(call("SumList", [1, 2, 3.5])).toBe(6.5)
    expect(call("SumList", [])).toBe(0)
    expect(call("Average", [1, 2, 3, 4])).toBe(2.5)
    expect(call("Max", [3, -1, 7, 2])).toBe(7)
    expect(call("Min", [3, -1, 7, 2])).toBe(-1)
    expect(call("Max", [-5])).toBe(-5)
  })

  it("fails with empty_list on an empty list", () => {
    expect(codeOf(call("Average", []))).toBe("empty_list")
    expect(codeOf(call("Max", []))).toBe("empty_list")
    expect(codeOf(call("Min", []))).toBe("empty_list")
  })

  it("handles long lists and huge numbers", () => {
    const long = Array.from({ length: 500_000 }, (_, i) => i)
    expect(call("Max", long)).toBe(499_999)
    expect(call("Min", long)).toBe(0)
    expect(call("Average", [1e308, 1e308])).toBe(1e308)
    expect(codeOf(call("SumList", [1e308, 1e308]))).toBe("float_overflow")
    expect(codeOf(call("MultiplyEach", [1e308], 10))).toBe("float_overflow")
  })

  it("filters and maps lists", () => {
    expect(call("FilterGreaterThan", [1, 5, 3, 10, 3], 3)).toEqual([5, 10])
    expect(call("MultiplyEach", [1, 2.5, -3], 2)).toEqual([2, 5, -6])
  })

  it("makes ranges with an exclusive end", () => {
    expect(call("Range", 1, 4)).toEqual([1, 2, 3])
    expect(call("Range", -2, 1)).toEqual([-2, -1, 0])
    expect(call("Range", 5, 5)).toEqual([])
    expect(call("Range", 5, 1)).toEqual([])
    expect(call("Range", 0, 1_000_000)).toHaveLength(1_000_000)
    expect(codeOf(call("Range", 0, 1_000_001))).toBe("range_too_large")
    expect(codeOf(call("Range", -9007199254740991, 9007199254740991))).toBe("range_too_large")
  })

  it("formats numbers with toFixed and checks decimals", () => {
    expect(call("FormatNumber", 3.14159, 2)).toBe("3.14")
    expect(call("FormatNumber", 2.5, 0)).toBe("3")
    expect(call("FormatNumber", 1, 20)).toBe("1.00000000000000000000")
    expect(codeOf(call("FormatNumber", 1, -1))).toBe("invalid_argument")
    expect(codeOf(call("FormatNumber", 1, 21))).toBe("invalid_argument")
  })
})

describe("latency", () => {
  it.effect("Delay returns its value after ms milliseconds, whatever its type", () =>
    Effect.gen(function* () {
      const delay = find("Delay")
      expect(succeeded(yield* timed(delay, 250, { a: [1, 2] }, 250))).toEqual({ a: [1, 2] })
      expect(succeeded(yield* timed(delay, 5, "x", 5))).toBe("x")
      expect(succeeded(yield* timed(delay, 0, 7, 0))).toBe(7)
    }))

  it.effect("Delay rejects a negative delay", () =>
    Effect.gen(function* () {
      expect(failureCode(yield* timed(find("Delay"), 0, "x", -1))).toBe("invalid_argument")
    }))

  it.effect("QuickCheck answers after 10 ms", () =>
    Effect.gen(function* () {
      expect(succeeded(yield* timed(find("QuickCheck"), 10, " a "))).toBe(true)
      expect(succeeded(yield* timed(find("QuickCheck"), 10, " \n "))).toBe(false)
    }))

  it.effect("RateLimitedApi, SlowQuery and SlowApiCall take 50 ms, 500 ms and 1 s", () =>
    Effect.gen(function* () {
      expect(succeeded(yield* timed(find("RateLimitedApi"), 50, "q"))).toBe("api:q")
      expect(succeeded(yield* timed(find("SlowQuery"), 500, "users"))).toBe("rows for users")
      expect(succeeded(yield* timed(find("SlowApiCall"), 1000, "ping"))).toBe("response to ping")
    }))

  it.effect("FlakyService fails calls 1 and 2 of every 3 after 10 ms", () =>
    Effect.gen(function* () {
      const flaky = find("FlakyService", makeStdlib())
      const outcomes: Array<string | undefined> = []
      for (let i = 0; i < 6; i++) {
        const exit = yield* timed(flaky, 10, "u1")
        outcomes.push(Exit.isSuccess(exit) ? String(exit.value) : failureCode(exit))
      }
      expect(outcomes).toEqual([
        "service_unavailable",
        "service_unavailable",
        "data for u1",
        "service_unavailable",
        "service_unavailable",
        "data for u1"
      ])
    }))

  it.effect("FlakyService counts attempts, so a retry of the same effect gets through", () =>
    Effect.gen(function* () {
      const flaky = find("FlakyService", makeStdlib())
      if (flaky.implementation._tag !== "Effect") throw new Error("not an Effect module")
      const fiber = yield* Effect.fork(Effect.retry(flaky.implementation.run(["u2"]), { times: 2 }))
      yield* TestClock.adjust(Duration.millis(30))
      expect(yield* Fiber.join(fiber)).toBe("data for u2")
    }))

  it.effect("each makeStdlib() has its own FlakyService counter", () =>
    Effect.gen(function* () {
      const first = find("FlakyService", makeStdlib())
      yield* timed(first, 10, "a")
      yield* timed(first, 10, "a")
      const fresh = find("FlakyService", makeStdlib())
      expect(failureCode(yield* timed(fresh, 10, "b"))).toBe("service_unavailable")
      expect(succeeded(yield* timed(first, 10, "a"))).toBe("data for a")
    }))
})

const firstFlakyCall = Effect.gen(function* () {
  const flaky = (yield* ModuleRegistry).get("FlakyService")
  if (flaky?.implementation._tag !== "Effect") throw new Error("no FlakyService")
  const fiber = yield* Effect.fork(flaky.implementation.run(["x"]))
  yield* TestClock.adjust(Duration.millis(10))
  return yield* Fiber.await(fiber)
})

describe("registry layers", () => {
  it.effect("layerStdlib serves every standard module, fresh per build", () =>
    Effect.gen(function* () {
      const registry = yield* Effect.provide(ModuleRegistry, layerStdlib)
      expect(registry.list()).toHaveLength(stdlib.length)
      expect(registry.get("Uppercase")?.result).toEqual({ _tag: "String" })
      expect(failureCode(yield* Effect.provide(firstFlakyCall, layerStdlib))).toBe("service_unavailable")
      expect(failureCode(yield* Effect.provide(firstFlakyCall, layerStdlib))).toBe("service_unavailable")
    }))

  it.effect("layerWith adds user modules and rejects a clash with a standard name", () =>
    Effect.gen(function* () {
      const Shout = Module.sync({
        name: "Shout",
        description: "test",
        params: { text: Schema.String },
        result: Schema.String,
        run: ({ text }) => `${text}!`
      })
      const registry = yield* Effect.provide(ModuleRegistry, layerWith([Shout]))
      expect(registry.list()).toHaveLength(stdlib.length + 1)
      expect(registry.get("Shout")).toBeDefined()
      const clash = Module.sync({ name: "Uppercase", description: "test", params: {}, result: Schema.String, run: () => "" })
      const exit = yield* Effect.exit(Effect.provide(ModuleRegistry, layerWith([clash])))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    }))

  it("layerWith keeps the requirements of user modules", () => {
    const layer: Layer.Layer<ModuleRegistry> = layerWith<never>([])
    expect(Layer.isLayer(layer)).toBe(true)
  })
})
