import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer, Schema } from "effect"
import { TBoolean, TFloat, TInt, TList, TOptional, TRecord, TString, TVar } from "../../src/lang/types.js"
import type { Value } from "../../src/lang/value.js"
import * as Module from "../../src/modules/Module.js"
import { ModuleError } from "../../src/modules/ModuleError.js"
import { Later } from "../../src/internal/Later.js"
import { layer, makeRegistry, ModuleRegistry, signature } from "../../src/modules/ModuleRegistry.js"
import { typeFromSchema, typeVariable, UnsupportedSchemaError } from "../../src/modules/typeFromSchema.js"
import { printType } from "../../src/lang/types.js"

const runSync = (m: Module.Module<never>, ...args: ReadonlyArray<Value>): Value | ModuleError => {
  if (m.implementation._tag !== "Sync") throw new Error(`${m.name} is not a sync module`)
  return m.implementation.run(args)
}

const runEffect = <R>(m: Module.Module<R>, ...args: ReadonlyArray<Value>) => {
  if (m.implementation._tag !== "Effect") throw new Error(`${m.name} is not an Effect module`)
  return m.implementation.run(args)
}

const codeOf = (r: unknown): string | undefined => (r instanceof ModuleError ? r.code : undefined)

/** A sync module whose implementation returns whatever the test says, typed as the result. */
const returning = <A, I>(result: Schema.Schema<A, I>, value: unknown) =>
  Module.sync({ name: "Returns", description: "test", params: {}, result, run: () => value as A })

describe("language types from schemas", () => {
  it("derives primitives, lists, records, optionals and type variables", () => {
    expect(typeFromSchema(Schema.String)).toEqual(TString)
    expect(typeFromSchema(Schema.Int)).toEqual(TInt)
    expect(typeFromSchema(Module.Int)).toEqual(TInt)
    expect(typeFromSchema(Schema.NonNegativeInt)).toEqual(TInt)
    expect(typeFromSchema(Schema.Int.pipe(Schema.between(0, 20)))).toEqual(TInt)
    expect(typeFromSchema(Schema.Number)).toEqual(TFloat)
    expect(typeFromSchema(Schema.Boolean)).toEqual(TBoolean)
    expect(typeFromSchema(Schema.Array(Schema.Int))).toEqual(TList(TInt))
    expect(typeFromSchema(Schema.NullOr(Schema.String))).toEqual(TOptional(TString))
    expect(typeFromSchema(Schema.Literal("a", "b"))).toEqual(TString)
    expect(typeFromSchema(typeVariable("T"))).toEqual(TVar("T"))
    expect(typeFromSchema(Schema.Struct({ name: Schema.String, tags: Schema.Array(Schema.String), nick: Schema.optional(Schema.String) })))
      .toEqual(TRecord([["name", TString], ["tags", TList(TString)], ["nick", TOptional(TString)]]))
  })

  it("uses the encoded side of a transformation", () => {
    expect(typeFromSchema(Schema.NumberFromString)).toEqual(TString)
  })

  it("rejects a schema no language type describes, naming where", () => {
    expect(() => typeFromSchema(Schema.BigIntFromSelf, "M(n)")).toThrow(UnsupportedSchemaError)
    expect(() => typeFromSchema(Schema.Tuple(Schema.String, Schema.Number))).toThrow(/no constellation-lang type/)
  })

  it("makes a union of a Schema union of different types, and a Map of a Schema record", () => {
    expect(printType(typeFromSchema(Schema.Union(Schema.String, Schema.Number)))).toBe("Float | String")
    expect(printType(typeFromSchema(Schema.NullOr(Schema.Union(Schema.String, Schema.Boolean))))).toBe("Optional<Boolean | String>")
    expect(printType(typeFromSchema(Schema.Record({ key: Schema.String, value: Schema.Number })))).toBe("Map<String, Float>")
  })
})

describe("Module.sync", () => {
  const Add = Module.sync({
    name: "Add",
    description: "Adds.",
    params: { a: Module.Int, b: Schema.Number },
    result: Schema.Number,
    run: ({ a, b }) => a + b
  })

  it("exposes parameters in call order and the result type", () => {
    expect(Add.params).toEqual([{ name: "a", type: TInt }, { name: "b", type: TFloat }])
    expect(Add.result).toEqual(TFloat)
    expect(signature(Add)).toBe("Add(a: Int, b: Float): Float")
    expect(runSync(Add, 1, 2.5)).toBe(3.5)
  })

  it("rejects a badly formed name", () => {
    expect(() => Module.sync({ name: "lower", description: "", params: {}, result: Schema.String, run: () => "" }))
      .toThrow(/upper-case/)
  })

  it("fails with invalid_result when the implementation returns a wrong-typed value", () => {
    expect(codeOf(runSync(returning(Schema.String, 42)))).toBe("invalid_result")
    expect(codeOf(runSync(returning(Schema.Int, 1.5)))).toBe("invalid_result")
    expect(codeOf(runSync(returning(Schema.Array(Schema.String), ["a", 1])))).toBe("invalid_result")
    expect(codeOf(runSync(returning(Schema.Struct({ a: Schema.String }), {})))).toBe("invalid_result")
  })

  it("fails with invalid_result on a Float that is not a JSON number", () => {
    const r = runSync(returning(Schema.Number, Number.NaN))
    expect(codeOf(r)).toBe("invalid_result")
    expect(r instanceof ModuleError && r.message).toBe("Returns returned a value that is not a valid result: result: expected Float, got NaN")
    expect(codeOf(runSync(returning(Schema.Number, Infinity)))).toBe("invalid_result")
    expect(codeOf(runSync(returning(typeVariable("T"), { f: () => 1 })))).toBe("invalid_result")
  })

  it("returns records with their declared fields only, a missing optional as null", () => {
    const schema = Schema.Struct({ a: Schema.String, b: Schema.optional(Schema.Int) })
    expect(runSync(returning(schema, { a: "x", secret: 1 }))).toStrictEqual({ a: "x", b: null })
  })

  it("encodes results through transformations", () => {
    expect(runSync(returning(Schema.NumberFromString, 12))).toBe("12")
  })

  it("fails with invalid_argument when a refined parameter is out of range", () => {
    const Percent = Module.sync({
      name: "Percent",
      description: "test",
      params: { n: Schema.Int.pipe(Schema.between(0, 100)) },
      result: Schema.String,
      run: ({ n }) => `${n}%`
    })
    expect(Percent.params).toEqual([{ name: "n", type: TInt }])
    expect(runSync(Percent, 50)).toBe("50%")
    const r = runSync(Percent, 101)
    expect(codeOf(r)).toBe("invalid_argument")
    expect(r instanceof ModuleError && r.message).toMatch(/^Percent: /)
  })

  it("decodes parameters through transformations", () => {
    const Double = Module.sync({
      name: "Double",
      description: "test",
      params: { n: Schema.NumberFromString },
      result: Schema.Number,
      run: ({ n }) => n * 2
    })
    expect(Double.params).toEqual([{ name: "n", type: TString }])
    expect(runSync(Double, "21")).toBe(42)
    expect(codeOf(runSync(Double, "x"))).toBe("invalid_argument")
  })

  it("passes a ModuleError through", () => {
    const Fails = Module.sync({
      name: "Fails",
      description: "test",
      params: {},
      result: Schema.String,
      run: () => new ModuleError({ code: "nope", message: "no" })
    })
    expect(codeOf(runSync(Fails))).toBe("nope")
  })
})

describe("Module.make", () => {
  it.effect("runs the effect and checks its result", () =>
    Effect.gen(function* () {
      const Greet = Module.make({
        name: "Greet",
        description: "test",
        params: { name: Schema.String },
        result: Schema.String,
        run: ({ name }) => Effect.succeed(`hello ${name}`)
      })
      expect(yield* runEffect(Greet, "ada")).toBe("hello ada")
      const Wrong = Module.make({ name: "Wrong", description: "test", params: {}, result: Module.Int, run: () => Effect.succeed(0.5) })
      const error = yield* Effect.flip(runEffect(Wrong))
      expect(codeOf(error)).toBe("invalid_result")
    }))

  it.effect("fails with invalid_argument for a refined parameter", () =>
    Effect.gen(function* () {
      const Positive = Module.make({
        name: "Positive",
        description: "test",
        params: { n: Schema.Number.pipe(Schema.positive()) },
        result: Schema.Number,
        run: ({ n }) => Effect.succeed(n)
      })
      expect(codeOf(yield* Effect.flip(runEffect(Positive, -1)))).toBe("invalid_argument")
    }))

  it.effect("turns a throw while building the effect into a defect", () =>
    Effect.gen(function* () {
      const Throws = Module.make({
        name: "Throws",
        description: "test",
        params: {},
        result: Schema.String,
        run: (): Effect.Effect<string> => {
          throw new Error("bug")
        }
      })
      const exit = yield* Effect.exit(runEffect(Throws))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    }))

  it("calls the function of an Effect.sync at once, its result checked: an Exit the runtime takes without a fiber", () => {
    let calls = 0
    const Shout = Module.make({
      name: "Shout",
      description: "test",
      params: { text: Schema.String },
      result: Schema.String,
      run: ({ text }) => Effect.sync(() => (calls++, text.toUpperCase()))
    })
    const ok = runEffect(Shout, "hi")
    expect(Exit.isExit(ok) && Exit.isSuccess(ok) ? ok.value : "not a success Exit").toBe("HI")
    expect(calls).toBe(1)
    const Wrong = Module.make({ name: "Wrong", description: "test", params: {}, result: Module.Int, run: () => Effect.sync(() => 0.5) })
    const wrong = runEffect(Wrong)
    expect(Exit.isExit(wrong) && Exit.isFailure(wrong) ? codeOf(Cause.squash(wrong.cause)) : "not a failure Exit").toBe("invalid_result")
    const Throws = Module.make({
      name: "Throws",
      description: "test",
      params: {},
      result: Schema.String,
      run: () => Effect.sync((): string => {
        throw new Error("bug")
      })
    })
    const thrown = runEffect(Throws)
    expect(Exit.isExit(thrown) && Exit.isFailure(thrown) && Cause.isDie(thrown.cause)).toBe(true)
  })
})

describe("Module.make's direct call (the runtime's way in)", () => {
  /** An outcome as a test compares it: a value, a typed failure's code, or a defect. */
  const outcome = (exit: Exit.Exit<Value, unknown>): string =>
    Exit.isSuccess(exit)
      ? `value ${JSON.stringify(exit.value)}`
      : Cause.isDie(exit.cause)
      ? "defect"
      : `failure ${String(codeOf(Cause.squash(exit.cause)) ?? Cause.squash(exit.cause))}`

  const viaCall = (m: Module.Module<never>, args: ReadonlyArray<Value>) => {
    if (m.implementation._tag !== "Effect" || m.implementation.call === undefined) throw new Error(`${m.name} has no direct call`)
    const r = m.implementation.call(args)
    return r instanceof Later ? Effect.exit(r.effect) : Effect.succeed(r instanceof ModuleError ? Exit.fail(r) : Exit.succeed(r))
  }

  const make = (name: string, run: (n: number) => Effect.Effect<number, ModuleError>) =>
    Module.make({ name, description: "test", params: { n: Schema.Number.pipe(Schema.positive()) }, result: Module.Int, run: ({ n }) => run(n) })

  const cases: ReadonlyArray<readonly [string, Module.Module<never>, number]> = [
    ["Effect.sync", make("Sync", (n) => Effect.sync(() => n * 2)), 2],
    ["Effect.sync, a wrong result", make("SyncWrong", (n) => Effect.sync(() => n / 4)), 1],
    ["Effect.sync that throws", make("SyncThrows", () => Effect.sync((): number => { throw new Error("bug") })), 1],
    ["Effect.succeed", make("Succeed", (n) => Effect.succeed(n + 1)), 1],
    ["Effect.fail", make("Fail", () => Effect.fail(new ModuleError({ code: "nope", message: "no" }))), 1],
    ["Effect.die", make("Die", () => Effect.die("bug")), 1],
    ["an argument out of range", make("Refined", (n) => Effect.succeed(n)), -1],
    ["a throw while building the effect", make("BuildThrows", () => { throw new Error("bug") }), 1],
    ["an effect that suspends", make("Sleeps", (n) => Effect.as(Effect.sleep("1 millis"), n)), 3],
    ["an effect that suspends, then fails", make("SleepsFails", () => Effect.zipRight(Effect.sleep("1 millis"), Effect.fail(new ModuleError({ code: "late", message: "late" })))), 3]
  ]

  it.live("answers every kind of body as `run` does", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      for (const [label, m, n] of cases) {
        const direct = outcome(yield* viaCall(m, [n]))
        const viaRun = outcome(yield* Effect.exit(runEffect(m, n)))
        expect(direct, label).toBe(viaRun)
        seen.push(direct)
      }
      // The cases cover every kind of answer.
      expect(seen).toEqual([
        "value 4", "failure invalid_result", "defect", "value 2", "failure nope", "defect",
        "failure invalid_argument", "defect", "value 3", "failure late"
      ])
    }))

  it("answers a value known at once as it is, with no Exit around it", () => {
    const [, m] = cases[0]!
    if (m.implementation._tag !== "Effect") throw new Error("not an Effect module")
    expect(m.implementation.call?.([5])).toBe(10)
  })
})

class Greeting extends Context.Tag("test/Greeting")<Greeting, { readonly word: string }>() {}

const Hello = Module.make({
  name: "Hello",
  description: "Greets with the service's word.",
  params: { name: Schema.String },
  result: Schema.String,
  run: ({ name }) => Effect.map(Greeting, (g) => `${g.word} ${name}`)
})

/** A module of that name returning a String, or a Float when `result` says so. */
const named = (name: string, result: "String" | "Float" = "String"): Module.Module<never> =>
  result === "String"
    ? Module.sync({ name, description: "test", params: {}, result: Schema.String, run: () => "" })
    : Module.sync({ name, description: "test", params: {}, result: Schema.Number, run: () => 0 })

describe("ModuleRegistry", () => {
  it("rejects a name registered twice", () => {
    expect(() => makeRegistry([named("A"), named("A")])).toThrow("Module 'A' is registered twice")
  })

  it.effect("dies when its layer is built with a name registered twice", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Effect.provide(ModuleRegistry, layer([named("A"), named("A")])))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    }))

  it("lists modules in code-unit order of name, whatever the locale, and finds them", () => {
    const registry = makeRegistry([named("Aa"), named("B"), named("AB"), named("A")])
    expect(registry.list().map((m) => m.name)).toEqual(["A", "AB", "Aa", "B"])
    expect(registry.get("A")?.name).toBe("A")
    expect(registry.get("Z")).toBeUndefined()
  })

  it("has a fingerprint that changes with signatures, not with order", () => {
    const a = makeRegistry([named("A"), named("B")])
    const reordered = makeRegistry([named("B"), named("A")])
    const retyped = makeRegistry([named("A", "Float"), named("B")])
    const renamed = makeRegistry([named("A"), named("C")])
    expect(reordered.fingerprint).toBe(a.fingerprint)
    expect(retyped.fingerprint).not.toBe(a.fingerprint)
    expect(renamed.fingerprint).not.toBe(a.fingerprint)
  })

  it.effect("gives a module the services it requires through ModuleRegistry.layer", () =>
    Effect.gen(function* () {
      const registry = yield* ModuleRegistry
      const hello = registry.get("Hello")
      expect(hello).toBeDefined()
      if (hello === undefined) return
      // The registered module needs nothing more: the service came with the layer.
      expect(yield* runEffect(hello, "ada")).toBe("hi ada")
    }).pipe(Effect.provide(layer([Hello]).pipe(Layer.provide(Layer.succeed(Greeting, { word: "hi" }))))))
})
