/**
 * Lambdas, list functions, `branch` and the unit `d`, one phase at a time:
 * what the lexer and parser read, where the checker's diagnostics point,
 * and the inline expressions the DAG holds.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { lex } from "../../src/lang/lexer.js"
import { parse } from "../../src/lang/parser.js"
import { makeRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import { show } from "./showAst.js"

const registry = makeRegistry(makeStdlib())

const expr = (source: string): string => {
  const { program, diagnostics } = parse(`x = ${source}\nout x`)
  expect(diagnostics.map((d) => d.message)).toEqual([])
  const first = program.declarations[0]
  return first?._tag === "Assignment" ? show(first.value) : "none"
}

const diagnostics = (source: string): Array<string> => {
  const r = compile(source, registry)
  return Either.isLeft(r) ? r.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`) : []
}

describe("lexing", () => {
  it("reads =>, -> and the day unit", () => {
    expect(lex("(x) => a -> 1d 2h").tokens.map((t) => `${t.kind}:${t.value}`)).toEqual(
      ["(:0", "Ident:0", "):0", "=>:0", "Ident:0", "->:0", "Duration:86400000", "Duration:7200000", "EOF:0"]
    )
    expect(lex("a-b a - > b x >= -1").tokens.map((t) => t.kind)).toEqual(["Ident", "Ident", "-", ">", "Ident", "Ident", ">=", "-", "Int", "EOF"])
  })
})

describe("parsing", () => {
  it("reads lambdas with and without parentheses and types, bodies reaching as far as they can", () => {
    expect(expr("filter(xs, (x) => x > 0 and x < 9)")).toBe("filter(xs, ((x) => ((x > 0) and (x < 9))))")
    expect(expr("map(xs, x => x * 2)")).toBe("map(xs, ((x) => (x * 2)))")
    expect(expr("f((a: Int, b: List<String>) => a, () => 1)")).toBe("f(((a: Int, b: List<String>) => a), (() => 1))")
    expect(expr("(x)")).toBe("x")
    expect(expr("(x) + 1")).toBe("(x + 1)")
  })

  it("reads branch cases in order, on one line or several, with a trailing comma", () => {
    expect(expr("branch { a -> 1, b -> 2, otherwise -> 3 }")).toBe("branch{a -> 1, b -> 2, otherwise -> 3}")
    expect(expr("branch {\n  a > 1 -> \"x\",\n  otherwise -> \"y\",\n}")).toBe("branch{(a > 1) -> str(\"x\"), otherwise -> str(\"y\")}")
    expect(expr("branch + otherwise")).toBe("(branch + otherwise)")
  })

  it("reports a missing otherwise at the branch, a case after it at that case, and a missing arrow", () => {
    const codes = (s: string) => parse(s).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)
    expect(codes("x = branch { a -> 1 }\nout x")).toEqual(["E120 1:5"])
    expect(codes("x = branch { otherwise -> 1, a -> 2 }\nout x")).toEqual(["E121 1:30"])
    expect(codes("x = branch { a 1, otherwise -> 2 }\nout x")).toEqual(["E104 1:16"])
    expect(codes("x = (a, b) + 1\nout x")).toEqual(["E104 1:12"])
  })
})

describe("checking", () => {
  it("points each lambda diagnostic at its cause", () => {
    expect(diagnostics("in xs: List<Int>\na = filter(xs, (x) => x + 1)\nout a")).toEqual(["E322 2:23"])
    expect(diagnostics("in xs: List<Int>\na = map(xs, (x: String) => x)\nout a")).toEqual(["E323 2:17"])
    expect(diagnostics("in xs: List<Int>\na = map(xs, (x, y) => x)\nout a")).toEqual(["E321 2:13"])
    expect(diagnostics("in xs: List<Int>\na = map(xs, (x) => y)\nout a")).toEqual(["E200 2:20"])
    expect(diagnostics("in xs: Optional<List<Int>>\na = map(xs, (x) => x)\nout a")).toEqual(["E402 2:9"])
    expect(diagnostics("in xs: List<String>\na = map(xs, (x) => Uppercase(x))\nout a")).toEqual([])
    expect(diagnostics("in xs: List<String>\na = map(xs, (x) => Uppercase(x) with lazy)\nout a")).toEqual(["E420 2:38"])
  })

  it("types list functions from the element type", () => {
    const r = compile("in xs: List<{n: Int}>\na = map(xs, (x) => x.n * 1.5)\nb = filter(xs, (x) => x.n > 0)\nc = any(xs, (x) => true)\nout a\nout b\nout c", registry)
    if (Either.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.dag.outputs.map((o) => o.type)).toEqual([
      { _tag: "List", element: { _tag: "Float" } },
      { _tag: "List", element: { _tag: "Record", fields: [["n", { _tag: "Int" }]] } },
      { _tag: "Boolean" }
    ])
  })

  it("lets a lambda's parameter share a name with the value it is assigned to, without a cycle", () => {
    expect(diagnostics("in xs: List<Int>\nx = map(xs, (x) => x + 1)\nout x")).toEqual([])
  })
})

describe("the DAG", () => {
  it("holds a list function inline, its parameter as a slot and a module call of the body as a node", () => {
    const r = compile("in xss: List<List<Int>>\nin t: String\nr = map(xss, (xs) => filter(xs, (x) => x > WordCount(t)))\nout r", registry)
    if (Either.isLeft(r)) throw new Error(r.left.message)
    const node = r.right.dag.data.find((d) => d.name === "r")
    expect(r.right.dag.modules.map((m) => m.module)).toEqual(["WordCount"])
    expect(node?.source).toEqual({
      _tag: "Inline",
      expr: {
        _tag: "ListFunction", fn: "map", slot: 0, list: { _tag: "Ref", data: 0 },
        body: {
          _tag: "ListFunction", fn: "filter", slot: 1, list: { _tag: "Param", slot: 0 },
          body: { _tag: "Compare", op: ">", left: { _tag: "Param", slot: 1 }, right: { _tag: "Ref", data: 2 } }
        }
      },
      deps: [0, 2]
    })
  })

  it("compiles a branch to a chain of ifs", () => {
    const r = compile("in n: Int\ng = branch { n > 1 -> 1, n > 0 -> 2, otherwise -> 3 }\nout g", registry)
    if (Either.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.dag.data.find((d) => d.name === "g")?.source).toMatchObject({
      expr: { _tag: "If", then: { value: 1 }, else: { _tag: "If", then: { value: 2 }, else: { value: 3 } } }
    })
  })
})
