/**
 * Parsing and checking of union types, `match`, record merge and
 * projection, one behaviour per line through small helpers.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { Declaration } from "../../src/lang/ast.js"
import { compile } from "../../src/lang/compileSource.js"
import { parse } from "../../src/lang/parser.js"
import { printType } from "../../src/lang/types.js"
import { testRegistry } from "./fixtures.js"
import { show, showType } from "./showAst.js"

const valueOf = (source: string): string => {
  const d = parse(source).program.declarations[0] as Extract<Declaration, { readonly _tag: "Assignment" }>
  return show(d.value)
}
const typeOf = (source: string): string => {
  const d = parse(source).program.declarations[0] as Extract<Declaration, { readonly _tag: "TypeAlias" }>
  return showType(d.type)
}
const parseErrors = (source: string): Array<string> => parse(source).diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`)
/** The diagnostics of a whole program as `code line:col`. */
const codes = (source: string): Array<string> => {
  const r = compile(source, testRegistry)
  return Either.isLeft(r) ? r.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`) : []
}
const messages = (source: string): Array<string> => {
  const r = compile(source, testRegistry)
  return Either.isLeft(r) ? r.left.diagnostics.map((d) => `${d.code} ${d.message}${d.hint === undefined ? "" : ` (${d.hint})`}`) : []
}
/** The type of an output of a program that compiles. */
const outType = (source: string, name: string): string => {
  const r = compile(source, testRegistry)
  if (Either.isLeft(r)) throw new Error(r.left.message)
  return printType(r.right.dag.outputs.find((o) => o.name === name)!.type)
}

describe("parsing types", () => {
  it("reads unions looser than merges, and Map and Candidates", () => {
    expect(typeOf("type T = A + B | C")).toBe("((A + B) | C)")
    expect(typeOf("type T = {a: Int} | List<Int> | Map<String, Optional<Int>>")).toBe("({a: Int} | List<Int> | Map<String, Optional<Int>>)")
    expect(typeOf("type T = Candidates<Int>")).toBe("List<Int>")
  })

  it("explains `||` and a Map with one parameter", () => {
    expect(parseErrors("in x: Int || String")[0]).toMatch(/^E100 1:11 .*'\|\|'/)
    expect(parseErrors("in m: Map<Int>")).toEqual(["E104 1:14 Expected ',' and the value type after the key type of Map<, found '>'."])
  })
})

describe("parsing projections and match", () => {
  it("reads both projection spellings, after field access too", () => {
    expect(valueOf("p = user{id, name}")).toBe("user{id, name}")
    expect(valueOf("p = user[id]")).toBe("user{id}")
    expect(valueOf("p = data.records{id}.id")).toBe("data.records{id}.id")
    expect(valueOf("p = a{x} + b")).toBe("(a{x} + b)")
  })

  it("keeps `[0]` an attempt at indexing", () => {
    expect(parseErrors("p = xs[0]")[0]).toMatch(/^E109 1:7 /)
  })

  it("reads match arms with each kind of pattern, the value with field access", () => {
    expect(valueOf("m = match r.x { {a, b} -> a, is Int | String -> 1, _ -> 2 }"))
      .toBe("(match r.x {{a, b} -> a, is (Int | String) -> 1, _ -> 2})")
  })

  it("reports a missing arrow, an empty record pattern and a match without arms", () => {
    expect(parseErrors("m = match x { is Int 1 }")).toEqual(["E104 1:22 Expected '->' after the pattern, found the number 1."])
    expect(parseErrors("m = match x { {} -> 1 }")[0]).toMatch(/^E104 1:15 A record pattern names at least one field/)
    expect(parseErrors("m = match x { }")[0]).toMatch(/^E104 1:13 A match needs at least one arm/)
    expect(parseErrors("m = match x { 3 -> 1 }")[0]).toMatch(/^E104 1:15 Expected a pattern, found the number 3/)
  })
})

describe("checking type algebra", () => {
  it("merges records, the right's field type winning, through lists", () => {
    expect(outType("in a: {x: Int, y: Int}\nin b: {y: String}\nm = a + b\nout m", "m")).toBe("{x: Int, y: String}")
    expect(outType("in a: List<{x: Int}>\nin b: {y: String}\nm = b + a\nout m", "m")).toBe("List<{y: String, x: Int}>")
    expect(outType("type A = {x: Int}\ntype B = A + {z: Boolean}\nin b: B\nout b", "b")).toBe("{x: Int, z: Boolean}")
  })

  it("keeps + on numbers and Strings", () => {
    expect(outType("in s: String\nt = s + \"!\"\nout t", "t")).toBe("String")
    expect(outType("in n: Int\nt = n + 1.5\nout t", "t")).toBe("Float")
  })

  it("reports a merge with a non-record (E330), in values and types", () => {
    expect(codes("in a: {x: Int}\nin n: Int\nm = a + n\nout m")).toEqual(["E330 3:7"])
    expect(codes("type T = {x: Int} + List<Int>\nin t: T\nout t")).toEqual(["E330 1:19"])
  })

  it("projects fields in the order named, reporting a missing one with a suggestion", () => {
    expect(outType("in u: {a: Int, b: String, c: Boolean}\np = u{c, a}\nout p", "p")).toBe("{c: Boolean, a: Int}")
    expect(messages("in u: {name: String, age: Int}\np = u{nmae}\nout p")).toEqual([
      "E301 {name: String, age: Int} has no field `nmae` to project. Available fields: name, age. (did you mean `name`?)"
    ])
    expect(codes("in n: Int\np = n{a}\nout p")).toEqual(["E300 2:5"])
    expect(codes("in u: {a: Int}\np = u{a, a}\nout p")).toEqual(["E206 2:10"])
  })
})

describe("checking match", () => {
  const union = "in v: Int | String | {a: Int} | {a: String, b: Boolean}\n"

  it("gives the common type of the arms and binds record fields", () => {
    expect(outType(`${union}m = match v { is Int -> 1, is String -> 2.5, {b} -> 0, {a} -> 3 }\nout m`, "m")).toBe("Float")
    expect(outType(`${union}m = match v { {b} -> b, _ -> false }\nout m`, "m")).toBe("Boolean")
  })

  it("names the members no arm takes", () => {
    expect(messages(`${union}m = match v { is Int -> 1 }\nout m`)).toEqual([
      "E331 This match does not handle String, {a: Int} and {a: String, b: Boolean}: the value is Int | String | {a: Int} | {a: String, b: Boolean}. " +
        "(Add an arm for each (like `is String -> ...`), or `_ -> ...` for the rest.)"
    ])
  })

  it("reports unreachable arms, patterns that never match and conflicting fields", () => {
    expect(codes(`${union}m = match v { _ -> 1, is Int -> 2 }\nout m`)).toEqual(["E332 2:23"])
    expect(codes(`${union}m = match v { is Int -> 1, is Int -> 2, _ -> 3 }\nout m`)).toEqual(["E332 2:28"])
    expect(codes(`${union}m = match v { is Boolean -> 1, {c} -> 2, _ -> 3 }\nout m`)).toEqual(["E333 2:15", "E333 2:33"])
    expect(codes(`${union}m = match v { {a} -> a, _ -> 0 }\nout m`)).toEqual(["E334 2:16"])
  })

  it("narrows the matched variable in an arm that takes one member", () => {
    expect(outType("in v: Int | String\nm = match v { is Int -> v + 1, _ -> 0 }\nout m", "m")).toBe("Int")
    expect(codes("in v: Int | String\nm = match v { is Int | String -> v + 1 }\nout m")).toEqual(["E302 2:36"])
  })

  it("does not read a record pattern's fields as references to pipeline names", () => {
    expect(codes("in v: {a: Int} | {b: Int}\na = match v { {a} -> a, {b} -> b }\nout a")).toEqual([])
  })

  it("calls a module with the arm's bindings; lazy on such a call is E335", () => {
    expect(codes("in v: Int | String\nm = match v { is String -> Uppercase(v), _ -> \"\" }\nout m")).toEqual([])
    expect(codes("in v: Int | String\nm = match v { is String -> Uppercase(v) with lazy, _ -> \"\" }\nout m")).toEqual(["E335 2:46"])
  })
})
