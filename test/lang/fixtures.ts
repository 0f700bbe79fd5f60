/**
 * A small module registry for the language tests and the compile
 * benchmark, independent of the standard library.
 */
import { Effect, Schema } from "effect"
import * as Module from "../../src/modules/Module.js"
import { makeRegistry } from "../../src/modules/ModuleRegistry.js"
import type { ModuleRegistryShape, RegisteredModule } from "../../src/modules/ModuleRegistry.js"
import { typeVariable } from "../../src/modules/typeFromSchema.js"

const User = Schema.Struct({ name: Schema.String, age: Module.Int })

export const Uppercase = Module.sync({
  name: "Uppercase",
  description: "Upper-cases text.",
  params: { text: Schema.String },
  result: Schema.String,
  run: ({ text }) => text.toUpperCase()
})

export const Trim = Module.sync({
  name: "Trim",
  description: "Removes surrounding white space.",
  params: { text: Schema.String },
  result: Schema.String,
  run: ({ text }) => text.trim()
})

export const WordCount = Module.sync({
  name: "WordCount",
  description: "Counts the words of a text.",
  params: { text: Schema.String },
  result: Module.Int,
  run: ({ text }) => text.split(/\s+/).filter((w) => w.length > 0).length
})

export const Add = Module.sync({
  name: "Add",
  description: "Adds two integers.",
  params: { a: Module.Int, b: Module.Int },
  result: Module.Int,
  run: ({ a, b }) => a + b
})

export const Scale = Module.sync({
  name: "Scale",
  description: "Multiplies a number by a factor.",
  params: { value: Schema.Number, factor: Schema.Number },
  result: Schema.Number,
  run: ({ value, factor }) => value * factor
})

export const Concat = Module.sync({
  name: "Concat",
  description: "Joins two texts.",
  params: { left: Schema.String, right: Schema.String },
  result: Schema.String,
  run: ({ left, right }) => left + right
})

export const Delay = Module.make({
  name: "Delay",
  description: "Returns its value after a pause.",
  params: { value: typeVariable("T"), ms: Module.Int },
  result: typeVariable("T"),
  run: ({ value, ms }) => Effect.as(Effect.sleep(ms), value)
})

export const First = Module.sync({
  name: "First",
  description: "The first element of a list, if any.",
  params: { items: Schema.Array(typeVariable("T")) },
  result: Schema.NullOr(typeVariable("T")),
  run: ({ items }) => items[0] ?? null
})

export const Pair = Module.sync({
  name: "Pair",
  description: "A list of two values of one type.",
  params: { first: typeVariable("T"), second: typeVariable("T") },
  result: Schema.Array(typeVariable("T")),
  run: ({ first, second }) => [first, second]
})

export const LookupUser = Module.make({
  name: "LookupUser",
  description: "Finds a user by id.",
  params: { id: Schema.String },
  result: User,
  run: ({ id }) => Effect.succeed({ name: id, age: 42 })
})

export const Users = Module.sync({
  name: "Users",
  description: "Every user.",
  params: {},
  result: Schema.Array(User),
  run: () => [{ name: "ada", age: 36 }]
})

export const ParseNumber = Module.sync({
  name: "ParseNumber",
  description: "Reads an integer from text, if it is one.",
  params: { text: Schema.String },
  result: Schema.NullOr(Module.Int),
  run: ({ text }) => (/^-?\d+$/.test(text) ? Number(text) : null)
})

export const Greet = Module.sync({
  name: "Greet",
  description: "Greets a user (any record with a name).",
  params: { user: Schema.Struct({ name: Schema.String }) },
  result: Schema.String,
  run: ({ user }) => `hello ${user.name}`
})

export const testModules: ReadonlyArray<RegisteredModule> = [
  Uppercase, Trim, WordCount, Add, Scale, Concat, Delay, First, Pair, LookupUser, Users, ParseNumber, Greet
]

/** A fresh registry of the test modules. */
export const makeTestRegistry = (): ModuleRegistryShape => makeRegistry(testModules)

export const testRegistry: ModuleRegistryShape = makeTestRegistry()

type Pools = Record<"S" | "N" | "F" | "B", Array<string>>

/** Expression templates by result type; `S`, `N`, `F`, `B` stand for a String, Int, Float or Boolean value. */
const templates: ReadonlyArray<readonly [keyof Pools | "L" | "O", string]> = [
  ["S", "Uppercase(S)"],
  ["S", "Trim(S) with retry: 2, timeout: 1500ms, backoff: linear"],
  ["S", "S + \"!\""],
  ["S", "\"${S}-${N}-${B}\""],
  ["S", "if (B) S else Trim(S)"],
  ["S", "Concat(S, S) with fallback: S, delay: 10ms, maxDelay: 1s"],
  ["S", "Delay(S, N)"],
  ["S", "u.name"],
  ["N", "N + N * 2"],
  ["N", "N / N"],
  ["N", "Add(N, N) with backoff: exponential"],
  ["N", "WordCount(S) - 1"],
  ["N", "ParseNumber(S) ?? N"],
  ["N", "LookupUser(S).age"],
  ["F", "F * N"],
  ["F", "Scale(N, F) with timeout: 2s, fallback: 0.5"],
  ["B", "N < N"],
  ["B", "B and not B or false"],
  ["B", "S == S"],
  ["L", "[{a: N, b: [S]}, {a: 1, b: []}].b"],
  ["O", "(S when B) ?? First([S, \"x\"])"]
]

/**
 * A well-typed program from a list of choices: inputs of every kind, then
 * one assignment per choice (a template whose holes read earlier values),
 * then outputs of every `outputEvery`-th value. For property tests.
 */
export const programFromChoices = (choices: ReadonlyArray<number>, outputEvery: number): string => {
  const pools: Pools = { S: ["s"], N: ["n"], F: ["f"], B: ["b"] }
  const lines = ["in s: String", "in n: Int", "in f: Float", "in b: Boolean", "in u: {name: String, age: Int}"]
  const names: Array<string> = []
  choices.forEach((choice, k) => {
    const [kind, template] = templates[choice % templates.length]!
    let hole = choice
    const expr = template.replace(/\b[SNFB]\b/g, (slot) => {
      const pool = pools[slot as keyof Pools]
      hole = (hole * 31 + 7) % 9973
      return pool[hole % pool.length]!
    })
    lines.push(`v${k} = ${expr}`)
    if (kind !== "L" && kind !== "O") pools[kind].push(`v${k}`)
    names.push(`v${k}`)
  })
  names.forEach((name, i) => {
    if (i % outputEvery === 0 || i === names.length - 1) lines.push(`out ${name}`)
  })
  return lines.join("\n")
}
