/**
 * Namespaces: `use` declarations, qualified calls and how a call's name
 * resolves (docs/language.md, "Namespaces"), with each diagnostic.
 */
import { Effect, Either, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { parse } from "../../src/lang/parser.js"
import { Module } from "../../src/index.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { Schema } from "effect"
import { showDeclaration, spanProblems } from "./showAst.js"

/** A user namespace whose `trim` clashes with stdlib.string's. */
const acmeTrim = Module.sync({
  name: "acme.text.trim",
  description: "Trims, then marks the text.",
  params: { value: Schema.String },
  result: Schema.String,
  run: ({ value }) => `[${value.trim()}]`
})
const acmeShout = Module.sync({
  name: "acme.text.Shout",
  description: "Upper-cases the text.",
  params: { value: Schema.String },
  result: Schema.String,
  run: ({ value }) => value.toUpperCase()
})

const registry = makeRegistry([...makeStdlib(), acmeTrim, acmeShout])

const diagnostics = (source: string): Array<string> => {
  const r = compile(source, registry)
  return Either.isLeft(r) ? r.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`) : []
}
const hints = (source: string): Array<string | undefined> => {
  const r = compile(source, registry)
  return Either.isLeft(r) ? r.left.diagnostics.map((d) => d.hint) : []
}
/** The module each call of a source resolved to, in DAG order. */
const modules = (source: string): Array<string> => {
  const r = compile(source, registry)
  if (Either.isLeft(r)) throw new Error(r.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join("\n"))
  return r.right.dag.modules.map((m) => m.module)
}

const run = (source: string, inputs: unknown) => {
  const compiled = compile(source, registry)
  if (Either.isLeft(compiled)) throw new Error(compiled.left.diagnostics.map((d) => d.message).join("\n"))
  return Effect.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, inputs)).pipe(
    Effect.provide(Engine.layer.pipe(
      Layer.provideMerge(Scheduler.layerWith(16)),
      Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
    ))
  ))
}

describe("parsing", () => {
  const decls = (source: string): Array<string> => {
    const { program, diagnostics } = parse(source)
    expect(diagnostics.map((d) => d.message)).toEqual([])
    expect(spanProblems(source, program)).toEqual([])
    return program.declarations.map(showDeclaration)
  }

  it("reads use declarations, with and without an alias", () => {
    expect(decls("use stdlib.math\nuse stdlib.string as str\nuse stdlib")).toEqual([
      "use stdlib.math", "use stdlib.string as str", "use stdlib"
    ])
  })

  it("reads qualified calls, keywords after a dot, and and(...)/or(...) calls", () => {
    expect(decls("x = stdlib.math.add(1, m.negate(2))\ny = stdlib.bool.and(true, or(a, b))\nz = and(a, b)")).toEqual([
      "x = stdlib.math.add(1, m.negate(2))", "y = stdlib.bool.and(true, or(a, b))", "z = and(a, b)"
    ])
  })

  it("keeps use and as ordinary names elsewhere", () => {
    expect(decls("use = 1\nas = use + 1\nout as")).toEqual(["use = 1", "as = (use + 1)", "out as"])
  })

  it("ends an expression at a use declaration on the next line", () => {
    expect(decls("x = F(a) with retry: 3\nuse stdlib.math\ny = a\n  .b")).toEqual([
      "x = (F(a) with retry: int 3)", "use stdlib.math", "y = a.b"
    ])
  })

  it("reports a use without a path or with a bad alias", () => {
    expect(parse("use stdlib.\nx = 1").diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(["E104 1:12"])
    expect(parse("use stdlib as\nx = 1").diagnostics.map((d) => d.message)).toEqual([
      "Expected the alias after 'as', found the end of the line."
    ])
  })
})

describe("what use brings into scope", () => {
  it("use ns: every member by its own name, and the last segment as a prefix", () => {
    expect(modules("use stdlib.math\nin a: Int\nx = add(a, 1)\ny = math.multiply(a, 2)\nout x\nout y"))
      .toEqual(["stdlib.math.add", "stdlib.math.multiply"])
  })

  it("use ns as alias: alias.member", () => {
    expect(modules("use stdlib.string as str\nin t: String\nx = str.trim(t)\nout x")).toEqual(["stdlib.string.trim"])
  })

  it("the full name always works, without use", () => {
    expect(modules("in a: Int\nx = stdlib.math.multiply(a, 2)\ny = stdlib.identity(a)\nout x\nout y"))
      .toEqual(["stdlib.math.multiply", "stdlib.identity"])
  })

  it("a member name found in exactly one namespace works without use", () => {
    expect(modules("in xs: List<Int>\nn = list-length(xs)\nb = gt(n, 2)\nout b")).toEqual(["stdlib.list.list-length", "stdlib.compare.gt"])
    expect(modules("use stdlib.collection\nin a: Int\nb = gt(a, 2)\nout b")).toEqual(["stdlib.compare.gt"])
  })

  it("an imported namespace wins over one that is not imported", () => {
    expect(modules("use acme.text\nin t: String\nx = trim(t)\nout x")).toEqual(["acme.text.trim"])
    expect(modules("use stdlib.string\nin t: String\nx = trim(t)\nout x")).toEqual(["stdlib.string.trim"])
  })

  it("a use may come after the calls it serves, and an alias may name a namespace prefix", () => {
    expect(modules("x = m.add(1, 2)\nuse stdlib.math as m\nout x")).toEqual(["stdlib.math.add"])
    expect(modules("use stdlib as s\nx = s.math.add(1, 2)\nout x")).toEqual(["stdlib.math.add"])
  })

  it("top-level modules stay callable by their names beside imports", () => {
    expect(modules("use stdlib.string\nin t: String\nx = Uppercase(trim(t))\nout x")).toEqual(["stdlib.string.trim", "Uppercase"])
  })
})

describe("diagnostics", () => {
  it("E250: an unknown namespace, with the closest one", () => {
    expect(diagnostics("use stdlib.maht\nx = 1\nout x")).toEqual(["E250 1:5 Unknown namespace `stdlib.maht`."])
    expect(hints("use stdlib.maht\nx = 1\nout x")).toEqual(["did you mean `stdlib.math`?"])
    expect(diagnostics("x = stdlib.maths.add(1, 2)\nout x")).toEqual(["E250 1:5 Unknown namespace `stdlib.maths`."])
    expect(diagnostics("use stdlib.math.add\nx = 1\nout x")).toEqual([
      "E250 1:5 Unknown namespace `stdlib.math.add`: it is a function of stdlib.math, not a namespace."
    ])
  })

  it("E250: a value used as a namespace", () => {
    expect(diagnostics("in user: String\nx = user.trim(1)\nout x")).toEqual([
      "E250 2:5 `user` is a value, not a namespace: `user.trim(...)` calls nothing."
    ])
  })

  it("reports a broken import once, not again at each call through it", () => {
    expect(diagnostics("use stdlib.maht as m\nx = m.add(1, 2)\nout x").map((d) => d.slice(0, 8))).toEqual(["E250 1:5"])
  })

  it("E251: an unknown member, with the closest one or the namespace that has it", () => {
    expect(diagnostics("x = stdlib.math.ad(1, 2)\nout x")).toEqual(["E251 1:5 stdlib.math has no function `ad`."])
    expect(hints("x = stdlib.math.ad(1, 2)\nout x")).toEqual(["did you mean `add`?"])
    expect(diagnostics("use stdlib.math as m\nx = m.trim(\"a\")\nout x")).toEqual([
      "E251 2:5 stdlib.math has no function `trim` (`m` is stdlib.math)."
    ])
    expect(hints("use stdlib.math as m\nx = m.trim(\"a\")\nout x")).toEqual(["`trim` is a function of acme.text and stdlib.string."])
  })

  it("E252: a name two imported namespaces export, naming both", () => {
    expect(diagnostics("use stdlib.string\nuse acme.text\nx = trim(\"a\")\nout x")).toEqual([
      "E252 3:5 `trim` is ambiguous: it names stdlib.string.trim (use on line 1) and acme.text.trim (use on line 2)."
    ])
  })

  it("E252: a name in several namespaces, none imported", () => {
    expect(diagnostics("x = trim(\"a\")\nout x")).toEqual([
      "E252 1:5 `trim` is ambiguous: it names acme.text.trim and stdlib.string.trim, and no `use` says which."
    ])
  })

  it("E252: an imported member against a top-level module of the same name", () => {
    const shadow = makeRegistry([...makeStdlib(), Module.sync({ name: "acme.text.Uppercase", description: "x", params: { t: Schema.String }, result: Schema.String, run: ({ t }) => t })])
    const r = compile("use acme.text\nx = Uppercase(\"a\")\nout x", shadow)
    expect(Either.isLeft(r) ? r.left.diagnostics.map((d) => d.message) : []).toEqual([
      "`Uppercase` is ambiguous: it names the module Uppercase and acme.text.Uppercase (use on line 1)."
    ])
  })

  it("E253: an alias against a value, another alias or a namespace, naming both", () => {
    expect(diagnostics("use stdlib.math as m\nin m: Int\nx = m.add(m, 1)\nout x")).toEqual([
      "E253 1:20 `m` is both the alias of stdlib.math and the input declared on line 2."
    ])
    expect(diagnostics("use stdlib.math as m\nuse stdlib.string as m\nx = m.add(1, 2)\nout x")).toEqual([
      "E253 2:22 The alias `m` already names stdlib.math (use on line 1); here it would name stdlib.string."
    ])
    expect(diagnostics("use stdlib.math as acme\nx = 1\nout x")).toEqual([
      "E253 1:20 The alias `acme` is already the name of the namespace acme; as an alias of stdlib.math it would hide it."
    ])
  })

  it("E253: a namespace prefix that is also a value, at the call", () => {
    expect(diagnostics("use stdlib.math\nin math: Int\nx = math.add(math, 1)\nout x")).toEqual([
      "E253 3:5 `math` is both a value of this pipeline and the alias of stdlib.math (use on line 1), so `math.add(...)` is unclear."
    ])
    expect(diagnostics("in stdlib: Int\nx = stdlib.math.add(stdlib, 1)\nout x")).toEqual([
      "E253 2:5 `stdlib` is both a value of this pipeline and the namespace stdlib, so `stdlib.math.add(...)` is unclear."
    ])
  })

  it("the higher-order functions of stdlib.collection are the list functions, by any spelling", () => {
    expect(diagnostics("use stdlib.collection as c\nin xs: List<Int>\nx = c.filter(xs, (v) => v > 1)\ny = stdlib.collection.map(xs, (v) => v * 2)\nout x\nout y")).toEqual([])
    expect(diagnostics("use stdlib.collection as c\nin xs: List<Int>\nx = c.filter(xs, 1)\ny = map(xs, 2)\nout x\nout y").map((d) => d.split(" ").slice(0, 2).join(" ")))
      .toEqual(["E324 3:18", "E324 4:13"])
    expect(diagnostics("in xs: List<Int>\nx = nope.filter(xs, (v) => v > 1)\nout x").map((d) => d.slice(0, 4))).toEqual(["E250"])
  })

  it("E400: an unknown plain name suggests namespaced members too", () => {
    expect(diagnostics("x = addd(1, 2)\nout x")).toEqual(["E400 1:5 Unknown module `addd`: no module of that name is registered."])
    expect(hints("x = addd(1, 2)\nout x")).toEqual(["did you mean `add`?"])
  })

  it("E401 and E402 name the function as the call spells it", () => {
    expect(diagnostics("use stdlib.math as m\nx = m.add(1)\ny = m.add(1, \"2\")\nout x\nout y")).toEqual([
      "E401 2:5 m.add takes 2 arguments (a: Int, b: Int) but got 1.",
      "E402 3:14 Argument 2 of m.add (b) must be Int, but it is String."
    ])
  })
})

describe("running", () => {
  it("runs the reference's namespaces example", async () => {
    const source = [
      "@example(10)", "in a: Int", "@example(5)", "in b: Int",
      "use stdlib.math", "result1 = add(a, b)", "result2 = stdlib.math.multiply(a, b)",
      "use stdlib.string as str", "in greeting: String", "trimmed_greeting = str.trim(greeting)",
      "out result1", "out result2", "out trimmed_greeting"
    ].join("\n")
    const result = await run(source, { a: 10, b: 5, greeting: "  Hello from namespace!  " })
    expect(result.outputs).toEqual({ result1: 15, result2: 50, trimmed_greeting: "Hello from namespace!" })
  })

  it("streams module events under the qualified name", async () => {
    const result = await run("in a: Int\nx = stdlib.math.divide(a, 0)\nout x", { a: 7 })
    expect(result.errors["x"]).toMatchObject({ code: "division_by_zero", module: "stdlib.math.divide" })
  })
})
