/**
 * Property tests of lambdas, list functions and `branch` through the whole
 * compiler (parse, check, build the DAG): random text and random programs
 * never make it throw, every diagnostic lies inside the source with a
 * line and column that match its offset, and the programs that compile run
 * to the values a plain TypeScript model of the same program gives, with
 * the operators or with modules called per element.
 */
import fc from "fast-check"
import { Effect, Either, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { parse } from "../../src/lang/parser.js"
import { compile } from "../../src/lang/compileSource.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { spanProblems } from "./showAst.js"

const registry = makeRegistry(makeStdlib())

/** Compiles `source` and returns the problems with its diagnostics' positions (and rethrows nothing: a throw fails the property). */
const positionProblems = (source: string): Array<string> => {
  const result = compile(source, registry)
  const problems = spanProblems(source, parse(source).program)
  if (Either.isRight(result)) return problems
  for (const d of result.left.diagnostics) {
    problems.push(...spanProblems(source, { span: d.span }).map((p) => `${d.code}: ${p}`))
    if (d.line !== d.span.start.line || d.column !== d.span.start.column) problems.push(`${d.code}: line/column differ from its span`)
  }
  return problems
}

const soupTokens = [
  "in", "out", "type", "if", "else", "when", "and", "or", "not", "true", "false", "with",
  "branch", "otherwise", "->", "=>", "filter", "map", "all", "any", "(x)", "(x, y)", "(x: Int)", "x =>", "(", ")", "{", "}",
  "[", "]", ",", ":", ".", "??", "=", "+", "*", ">", "==", "xs", "x", "y", "n", "Uppercase", "List<Int>", "Int", "String",
  "0", "1", "-1", "1.5", "1d", "2s", "\"s\"", "\"${x}\"", "#", "\n", "\n  "
]
const soup = fc.array(fc.constantFrom(...soupTokens), { maxLength: 60 }).map((ts) => ts.join(" "))

/** A random expression over `xs: List<Int>`, `n: Int` and the parameters in scope, as source. */
const expression = (params: ReadonlyArray<string>): fc.Arbitrary<string> =>
  fc.letrec<{ e: string }>((tie) => {
    const names = ["n", "xs", "xss", ...params]
    const leaf = fc.oneof(fc.constantFrom(...names), fc.integer({ min: -5, max: 5 }).map(String), fc.constantFrom("true", "\"a\""))
    const lambda = fc.tuple(fc.constantFrom("filter", "map", "all", "any", "Filter"), fc.constantFrom("xs", "xss", "n", ...params),
      fc.constantFrom("v", "x", "n"), fc.constantFrom("", ": Int", ": String", ", w"), tie("e"))
      .map(([fn, list, p, extra, body]) => `${fn}(${list}, (${p}${extra}) => ${body})`)
    const branch = fc.tuple(fc.array(fc.tuple(tie("e"), tie("e")), { maxLength: 3 }), tie("e"), fc.boolean())
      .map(([cases, other, hasOtherwise]) =>
        `branch { ${[...cases.map(([c, v]) => `${c} -> ${v}`), ...(hasOtherwise ? [`otherwise -> ${other}`] : [])].join(", ")} }`)
    const binary = fc.tuple(tie("e"), fc.constantFrom("+", "*", ">", "==", "and", "??"), tie("e")).map(([l, op, r]) => `(${l} ${op} ${r})`)
    const call = tie("e").map((e) => `Uppercase(${e})`)
    return { e: fc.oneof({ depthSize: "small" }, leaf, lambda, branch, binary, call, tie("e").map((e) => `(x) => ${e}`)) }
  }).e

describe("lambdas and branch under random input", () => {
  it("never throw from random token soups, and place every diagnostic inside the source", () => {
    fc.assert(fc.property(soup, (source) => {
      expect(positionProblems(source)).toEqual([])
    }), { numRuns: 400 })
  })

  it("never throw from random programs with lambdas and branch, and place every diagnostic inside the source", () => {
    fc.assert(fc.property(expression([]), (e) => {
      const source = `in xs: List<Int>\nin xss: List<List<Int>>\nin n: Int\nr = ${e}\nout r`
      expect(positionProblems(source)).toEqual([])
    }), { numRuns: 400 })
  })
})

/** `filter`/`map`/`all`/`any` with a comparison or arithmetic body, and the same in TypeScript. */
const listProgram = fc.tuple(
  fc.constantFrom("filter", "map", "all", "any"),
  fc.constantFrom(">", "<", "==", "+", "*", "-"),
  fc.integer({ min: -20, max: 20 }),
  fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 30 })
)

const model = (fn: string, op: string, k: number, xs: ReadonlyArray<number>): unknown => {
  const body = (x: number): number | boolean =>
    op === ">" ? x > k : op === "<" ? x < k : op === "==" ? x === k : op === "+" ? x + k : op === "*" ? x * k : x - k
  const test = (x: number): boolean => {
    const b = body(x)
    return typeof b === "boolean" ? b : b > 0
  }
  switch (fn) {
    case "filter": return xs.filter(test)
    case "map": return xs.map(body)
    case "all": return xs.every(test)
    default: return xs.some(test)
  }
}

describe("list functions run as their TypeScript model", () => {
  const layer = Engine.layer.pipe(Layer.provideMerge(Scheduler.layerWith(64)), Layer.provideMerge(Layer.succeed(ModuleRegistry, registry)))
  it("gives the model's value for random lists, functions and bodies", async () => {
    await fc.assert(fc.asyncProperty(listProgram, async ([fn, op, k, xs]) => {
      const arithmetic = op === "+" || op === "*" || op === "-"
      const body = arithmetic && fn !== "map" ? `(x ${op} ${k}) > 0` : `x ${op} ${k}`
      const source = `in xs: List<Int>\nr = ${fn}(xs, (x) => ${body})\nout r`
      const compiled = compile(source, registry)
      if (Either.isLeft(compiled)) throw new Error(compiled.left.diagnostics.map((d) => d.message).join("\n"))
      const batch = await Effect.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, { xs })).pipe(Effect.provide(layer)))
      expect(batch.outputs["r"]).toEqual(model(fn, op, k, xs))
    }), { numRuns: 150 })
  })
})

/** The same programs with the body's operator written as a module called per element (`gt(x, k)`), some through a waiting `Delay`. */
describe("module calls per element run as the TypeScript model", () => {
  const functions: Readonly<Record<string, string>> = { ">": "gt", "<": "lt", "==": "eq-int", "+": "add", "*": "multiply", "-": "subtract" }
  it("gives the model's value for random lists, functions and bodies, whatever the engine's bound", async () => {
    await fc.assert(fc.asyncProperty(listProgram, fc.boolean(), fc.integer({ min: 1, max: 4 }), async ([fn, op, k, xs], waits, permits) => {
      const layer = Engine.layer.pipe(Layer.provideMerge(Scheduler.layerWith(permits)), Layer.provideMerge(Layer.succeed(ModuleRegistry, registry)))
      const element = waits ? "Delay(x, 0)" : "x"
      const call = `${functions[op]}(${element}, ${k})`
      const arithmetic = op === "+" || op === "*" || op === "-"
      const body = arithmetic && fn !== "map" ? `gt(${call}, 0)` : call
      const source = `use stdlib.compare\nuse stdlib.math\nin xs: List<Int>\nr = ${fn}(xs, (x) => ${body})\nout r`
      const compiled = compile(source, registry)
      if (Either.isLeft(compiled)) throw new Error(compiled.left.diagnostics.map((d) => d.message).join("\n"))
      const batch = await Effect.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, { xs })).pipe(Effect.provide(layer)))
      expect(batch.outputs["r"]).toEqual(model(fn, op, k, xs))
    }), { numRuns: 100 })
  })
})
