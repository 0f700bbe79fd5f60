/**
 * Fuzz and property tests of unions, `match`, record merge and projection:
 * random programs never crash the compiler and every diagnostic sits inside
 * the source; generated well-typed matches compile and pick the arm their
 * value's member calls for.
 */
import { Effect, Either, Layer, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { DagSpec } from "../../src/lang/dag.js"
import { ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { spanProblems } from "./showAst.js"
import { testRegistry } from "./fixtures.js"

const diagnosticProblems = (source: string): Array<string> => {
  const result = compile(source, testRegistry)
  if (Either.isRight(result)) {
    expect(Schema.is(DagSpec)(result.right.dag)).toBe(true)
    return []
  }
  return spanProblems(source, result.left.diagnostics.map((d) => ({ span: d.span })))
}

describe("compile never throws on the type algebra's syntax", () => {
  const pieces = [
    "in ", "out ", "type ", " = ", "x", "y", "r", "a", "b", "Uppercase", "(", ")", "[", "]", "{", "}", ",", ":", ".", "+", "|", "||",
    "match ", " is ", "_", " -> ", "->", "-", ">", "Int", "String", "Float", "Boolean", "List<", "Map<", "Candidates<", "Optional<",
    "Seq<", "{a: Int}", "{b: String}", "{a, b}", "{a}", "[a, b]", "x{a}", "x[a]", "1", "\"s\"", "true", "??", " when ", "if (",
    " else ", "\n", " ", "Int | String", "{a: Int} + {b: String}"
  ]

  it("on random sequences of union, match, merge and projection tokens; every diagnostic inside the source", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
      const source = parts.join("")
      expect(diagnosticProblems(source)).toEqual([])
    }), { numRuns: 3000 })
  })

  it("on mutations of a valid program", () => {
    const valid = "type R = {a: Int, b: String} | {c: Float}\nin r: R\nin x: {a: Int}\nin y: List<{b: String}>\n" +
      "m = match r { {a, b} -> a, {c} -> 0 }\nz = y + x\np = z{a, b}\nq = z[b]\nout m\nout p\nout q"
    fc.assert(fc.property(fc.nat({ max: valid.length }), fc.nat({ max: 12 }), fc.constantFrom(...pieces), (at, cut, insert) => {
      const source = valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + cut))
      expect(diagnosticProblems(source)).toEqual([])
    }), { numRuns: 2000 })
  })
})

// ------------------------------------------------------ well-typed matches

/** A union of up to four distinct members: primitives and one-field records. */
const members = fc.uniqueArray(
  fc.constantFrom("Int", "String", "Boolean", "{a: Int}", "{b: String}", "{a: Int, c: Boolean}", "List<Int>"),
  { minLength: 2, maxLength: 4 }
)

const valueOf = (member: string): unknown => {
  switch (member) {
    case "Int":
      return 7
    case "String":
      return "s"
    case "Boolean":
      return true
    case "{a: Int}":
      return { a: 1 }
    case "{b: String}":
      return { b: "t" }
    case "{a: Int, c: Boolean}":
      return { a: 2, c: false }
    default:
      return [1, 2]
  }
}

describe("well-typed matches", () => {
  it("compile when every member has an arm, and take the arm of the value's member", async () => {
    const cases = fc.tuple(members, fc.nat()).map(([ms, pick]) => ({ ms, pick: pick % ms.length }))
    await fc.assert(fc.asyncProperty(cases, async ({ ms, pick }) => {
      // `is T` arms in a shuffled-free order: each member taken exactly once.
      const arms = ms.map((m, i) => `is ${m} -> ${i}`).join(",\n  ")
      const source = `in v: ${ms.join(" | ")}\nn = match v {\n  ${arms}\n}\nout n`
      const compiled = compile(source, testRegistry)
      if (Either.isLeft(compiled)) throw new Error(`${source}\n${compiled.left.message}`)
      const member = ms[pick]!
      const layer = Engine.layer.pipe(Layer.provideMerge(Scheduler.layerWith(16)), Layer.provideMerge(Layer.succeed(ModuleRegistry, testRegistry)))
      const batch = await Effect.runPromise(
        Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, { v: { tag: member, value: valueOf(member) } })).pipe(Effect.provide(layer))
      )
      expect(batch.outputs).toEqual({ n: pick })
    }), { numRuns: 60 })
  })
})
