import fc from "fast-check"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { DagSpec } from "../../src/lang/dag.js"
import type { DataNode } from "../../src/lang/dag.js"
import { canonicalJson, dagJson, hashDag } from "../../src/lang/hash.js"
import { makeTestRegistry, programFromChoices, testRegistry } from "./fixtures.js"

const dagOf = (source: string): DagSpec => {
  const result = compile(source, testRegistry)
  if (Either.isLeft(result)) throw new Error(result.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join("\n"))
  return result.right.dag
}

const node = (dag: DagSpec, name: string): DataNode => {
  const found = dag.data.find((d) => d.name === name)
  if (found === undefined) throw new Error(`no data node ${name} in ${dag.data.map((d) => d.name).join(", ")}`)
  return found
}

const edgeList = (dag: DagSpec): Array<string> => dag.edges.map((e) => `${e.from}->${e.to}`)

describe("DAG shape", () => {
  it("makes an assignment that is a call that module's output node", () => {
    const dag = dagOf("in text: String\nupper = Uppercase(text)\nout upper")
    expect(dag.data).toEqual([
      { id: 0, name: "text", type: { _tag: "String" }, source: { _tag: "Input", input: "text" } },
      { id: 1, name: "upper", type: { _tag: "String" }, source: { _tag: "Module", module: 0 } }
    ])
    expect(dag.modules).toEqual([
      { id: 0, module: "Uppercase", args: [{ param: "text", data: 0 }], output: 1, options: {}, line: 2, column: 9 }
    ])
    expect(dag.inputs).toEqual([{ name: "text", type: { _tag: "String" }, data: 0 }])
    expect(dag.outputs).toEqual([{ name: "upper", type: { _tag: "String" }, data: 1 }])
    expect(edgeList(dag)).toEqual(["d0->m0", "m0->d1"])
  })

  it("compiles other expressions to inline nodes with their arithmetic kind", () => {
    const dag = dagOf("in a: Int\nin b: Float\nin s: String\nx = a + b\ny = a / 2\nz = s + \"!\"\nout x\nout y\nout z")
    expect(dag.modules).toEqual([])
    expect(node(dag, "x").source).toEqual({
      _tag: "Inline",
      expr: { _tag: "Arithmetic", op: "+", kind: "Float", left: { _tag: "Ref", data: 0 }, right: { _tag: "Ref", data: 1 } },
      deps: [0, 1]
    })
    expect(node(dag, "y").source).toMatchObject({ expr: { op: "/", kind: "Int" }, deps: [0] })
    expect(node(dag, "z").source).toMatchObject({ expr: { op: "+", kind: "String" }, deps: [2] })
    expect(edgeList(dag)).toEqual(["d0->d3", "d1->d3", "d0->d4", "d2->d5"])
  })

  it("passes arguments in parameter order, inline ones as named nodes", () => {
    const dag = dagOf("in t: String\nc = Concat(t, \"!\")\nout c")
    expect(node(dag, "c#arg1")).toEqual({ id: 1, name: "c#arg1", type: { _tag: "String" }, source: { _tag: "Inline", expr: { _tag: "Literal", value: "!" }, deps: [] } })
    expect(dag.modules[0]?.args).toEqual([{ param: "left", data: 0 }, { param: "right", data: 1 }])
    expect(edgeList(dag)).toEqual(["d0->m0", "d1->m0", "m0->d2"])
  })

  it("gives a nested call one module node and an owner-derived name", () => {
    const dag = dagOf("in t: String\nupper = Uppercase(Trim(t))\nn = WordCount(t) * 2\nout upper\nout n")
    expect(dag.modules.map((m) => m.module)).toEqual(["Trim", "Uppercase", "WordCount"])
    expect(dag.data.map((d) => d.name)).toEqual(["t", "upper#arg0", "upper", "n#call0", "n"])
    expect(dag.modules[1]?.args).toEqual([{ param: "text", data: 1 }])
    expect(node(dag, "n").source).toMatchObject({ _tag: "Inline", expr: { _tag: "Arithmetic", kind: "Int", left: { _tag: "Ref", data: 3 } }, deps: [3] })
  })

  it("normalises options to milliseconds and compiles the fallback to a data node", () => {
    const dag = dagOf("in t: String\nx = Uppercase(t) with timeout: 2s, delay: 100ms, maxDelay: 1min, retry: 3, backoff: exponential, fallback: \"n/a\"\nout x")
    const fallback = node(dag, "x#fallback")
    expect(fallback.source).toEqual({ _tag: "Inline", expr: { _tag: "Literal", value: "n/a" }, deps: [] })
    expect(dag.modules[0]?.options).toEqual({ timeoutMs: 2000, delayMs: 100, maxDelayMs: 60000, retry: 3, backoff: "exponential", fallback: fallback.id })
    expect(edgeList(dag)).toContain(`d${fallback.id}->m0`)
  })

  it("uses a variable fallback's own node", () => {
    const dag = dagOf("in t: String\nx = Uppercase(t) with fallback: t\nout x")
    expect(dag.modules[0]?.options).toEqual({ fallback: 0 })
  })

  it("gives `==` and `!=` over records the type they compare on: the wider operand's", () => {
    const dag = dagOf("in r: {a: Int, b: Int}\nsame = r == {a: 1}\nplain = 1 == 2\nout same\nout plain")
    const expr = (name: string) => {
      const source = node(dag, name).source
      return source._tag === "Inline" ? source.expr : undefined
    }
    expect(expr("same")).toMatchObject({ _tag: "Compare", on: { _tag: "Record", fields: [["a", { _tag: "Int" }]] } })
    expect(expr("plain")).not.toHaveProperty("on")
  })

  it("carries the list depth of a field access", () => {
    const dag = dagOf("names = Users().name\nages = Pair(Users(), Users()).age\nout names\nout ages")
    expect(node(dag, "names").source).toMatchObject({ expr: { _tag: "Field", field: "name", listDepth: 1 } })
    expect(node(dag, "ages").source).toMatchObject({ expr: { _tag: "Field", field: "age", listDepth: 2 } })
    expect(node(dag, "ages").type).toEqual({ _tag: "List", element: { _tag: "List", element: { _tag: "Int" } } })
  })

  it("substitutes type variables in the types of generic calls", () => {
    const dag = dagOf("in t: String\nd = Delay(t, 10)\nout d")
    expect(node(dag, "d").type).toEqual({ _tag: "String" })
    expect(dag.modules[0]?.args).toEqual([{ param: "value", data: 0 }, { param: "ms", data: 1 }])
  })

  it("prunes assignments no output needs, keeps every input, and numbers densely", () => {
    const dag = dagOf("in t: String\nin unused: Int\nextra = Uppercase(t)\nkept = Trim(t)\nalso = WordCount(extra)\nout kept")
    expect(dag.data.map((d) => d.name)).toEqual(["t", "unused", "kept"])
    expect(dag.data.map((d) => d.id)).toEqual([0, 1, 2])
    expect(dag.modules.map((m) => m.module)).toEqual(["Trim"])
  })

  it("binds an output straight to an input", () => {
    const dag = dagOf("in t: String\nout t")
    expect(dag.outputs).toEqual([{ name: "t", type: { _tag: "String" }, data: 0 }])
    expect(dag.data).toHaveLength(1)
  })

  it("orders nodes by dependency, whatever the declaration order", () => {
    const dag = dagOf("out c\nc = Uppercase(b)\nb = Trim(a)\nin a: String")
    expect(dag.data.map((d) => d.name)).toEqual(["a", "b", "c"])
  })

  it("handles a long chain declared backwards without deep recursion", () => {
    const n = 5000
    const lines = ["out v0"]
    for (let i = 0; i < n - 1; i++) lines.push(`v${i} = v${i + 1} + 1`)
    lines.push(`v${n - 1} = x\nin x: Int`)
    const dag = dagOf(lines.join("\n"))
    expect(dag.data).toHaveLength(n + 1)
    expect(dag.data[1]?.name).toBe(`v${n - 1}`)
    expect(dag.outputs[0]?.data).toBe(n)
  })

  it("folds constant lists, records and strings; keeps interpolation parts", () => {
    const dag = dagOf("in n: Int\nl = [1, 2]\nr = {a: \"x\", b: [true]}\ns = \"n is ${n}!\"\nout l\nout r\nout s")
    expect(node(dag, "l").source).toMatchObject({ expr: { _tag: "Literal", value: [1, 2] } })
    expect(node(dag, "r").source).toMatchObject({ expr: { _tag: "Literal", value: { a: "x", b: [true] } } })
    expect(node(dag, "s").source).toMatchObject({ expr: { _tag: "Interpolate", parts: ["n is ", { _tag: "Ref", data: 0 }, "!"] }, deps: [0] })
  })

  it("produces a DAG its schema accepts, with consistent edges", () => {
    const dag = dagOf("in t: String\nu = LookupUser(t) with retry: 1\nlabel = if (u.age > 18) \"adult\" else \"minor\"\ngreeting = Concat(\"${u.name}: \", label) when u.age > 0\nout greeting")
    expect(Schema.decodeUnknownSync(DagSpec)(JSON.parse(JSON.stringify(dag)))).toEqual(dag)
    const expected = new Set<string>()
    for (const d of dag.data) if (d.source._tag === "Inline") for (const dep of d.source.deps) expected.add(`d${dep}->d${d.id}`)
    for (const m of dag.modules) {
      for (const a of m.args) expected.add(`d${a.data}->m${m.id}`)
      expected.add(`m${m.id}->d${m.output}`)
    }
    expect(new Set(edgeList(dag))).toEqual(expected)
    dag.data.forEach((d, i) => expect(d.id).toBe(i))
    dag.modules.forEach((m, i) => expect(m.id).toBe(i))
  })
})

describe("compile errors", () => {
  it("returns parser and checker diagnostics together, sorted", () => {
    const result = compile("in x: Int\ny = x +\nz = Nope(x)\nout y\nout z", testRegistry)
    if (Either.isRight(result)) throw new Error("expected a compile error")
    const codes = result.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)
    expect(codes).toEqual([...codes].sort((a, b) => {
      const [la, ca] = a.split(" ")[1]!.split(":").map(Number)
      const [lb, cb] = b.split(" ")[1]!.split(":").map(Number)
      return la! - lb! || ca! - cb!
    }))
    expect(codes.some((c) => c.startsWith("E1"))).toBe(true)
    expect(codes).toContain("E400 3:5")
  })
})

describe("hash", () => {
  const source = "in t: String\nupper = Uppercase(t) with timeout: 1s\nout upper"

  it("is the same for the same program, in a fresh registry too", () => {
    const a = dagOf(source)
    const b = compile(source, makeTestRegistry())
    expect(Either.isRight(b) && b.right.dag.hash).toBe(a.hash)
    expect(dagOf(source)).toEqual(a)
    expect(a.hash).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it("is the content hash of the DAG without its hash field", () => {
    const { hash, ...content } = dagOf(source)
    expect(hashDag(content)).toBe(hash)
  })

  it("changes when the program does", () => {
    const a = dagOf(source).hash
    expect(dagOf(source.replace("1s", "2s")).hash).not.toBe(a)
    expect(dagOf(source.replace("Uppercase", "Trim")).hash).not.toBe(a)
    expect(dagOf(`${source}\nout t`).hash).not.toBe(a)
  })

  it("does not depend on object key order", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe("{\"a\":[{\"d\":2}],\"b\":1}")
  })

  it("writes exactly the canonical JSON of a DAG with every kind of node", () => {
    const { hash: _, ...content } = dagOf(
      "in t: String\nin n: Int\nin u: List<{name: String, tags: List<String>}>\n" +
        "a = Uppercase(t) with timeout: 2s, retry: 1, delay: 5ms, maxDelay: 1s, backoff: capped, fallback: \"é \\\"q\\\" \\\\ ✓\"\n" +
        "b = if (n > 1 and not (n == 2) or false) n / 2 else 0\nc = {x: [n, 1], y: \"${a}!\", z: u.tags}\n" +
        "d = (ParseNumber(t) when n != 3) ?? n - 1\ne = u == u\nout a\nout b\nout c\nout d\nout e"
    )
    expect(JSON.stringify(content)).toContain('"on":{"_tag":"List"')
    const tags = new Set<string>()
    JSON.stringify(content, (k, v: unknown) => (k === "_tag" && typeof v === "string" && tags.add(v), v))
    for (const tag of ["Literal", "Ref", "Arithmetic", "Compare", "And", "Or", "Not", "If", "Field", "Record", "Interpolate", "Coalesce", "When", "List"]) {
      expect(tags.has(tag), tag).toBe(true)
    }
    expect(dagJson(content)).toBe(canonicalJson(content))
  })
})

describe("compiling well-typed programs", () => {
  it("always succeeds, with a valid, consistent, canonically hashed DAG", () => {
    const program = fc.tuple(fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 6 }))
    fc.assert(fc.property(program, ([choices, every]) => {
      const source = programFromChoices(choices, every)
      const result = compile(source, testRegistry)
      if (Either.isLeft(result)) throw new Error(`${source}\n${result.left.message}`)
      const { hash, ...content } = result.right.dag
      expect(dagJson(content)).toBe(canonicalJson(content))
      expect(hashDag(content)).toBe(hash)
      const ordered = content.data.every((d, i) =>
        d.id === i && (d.source._tag !== "Inline" || d.source.deps.every((dep) => dep < d.id)))
      expect(ordered).toBe(true)
    }), { numRuns: 300 })
  })
})

describe("compile never throws", () => {
  const pieces = [
    "in ", "out ", "type ", "@example(", " = ", "x", "y", "Uppercase", "Delay", "Pair", "Users", "(", ")", "[", "]", "{", "}", ",",
    ":", ".", "+", "-", "*", "/", "==", "<", "??", " when ", " and ", "not ", "if (", " else ", " with ", "retry: ", "timeout: 2s",
    "fallback: ", "backoff: ", "1", "2.5", "\"s${x}\"", "true", "String", "Int", "List<", "Optional<", ">", "\n", " "
  ]

  it("on random text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      compile(text, testRegistry)
    }), { numRuns: 500 })
  })

  it("on random sequences of language tokens", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
      const result = compile(parts.join(""), testRegistry)
      if (Either.isRight(result)) expect(Schema.is(DagSpec)(result.right.dag)).toBe(true)
    }), { numRuns: 2000 })
  })
})
