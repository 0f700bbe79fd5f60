/**
 * Module parameters with defaults: declared in the module definition API,
 * shown in signatures and by GET /modules, accepted by the checker when
 * trailing defaulted arguments are left out, and passed by the runtime.
 */
import { Effect, Either, Layer, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { TInt, TString } from "../../src/lang/types.js"
import * as Module from "../../src/modules/Module.js"
import { makeRegistry, ModuleRegistry, signature } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import { ModulesResponse } from "../../src/protocol/api.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { makeApp } from "../http/support/server.js"
import type { TestApp } from "../http/support/server.js"

const Pad = Module.sync({
  name: "Pad",
  description: "Pads text on the left to a width with a fill character.",
  params: { text: Schema.String, width: Module.Int, fill: Schema.String },
  defaults: { width: 8, fill: "." },
  result: Schema.String,
  run: ({ text, width, fill }) => text.padStart(width, fill)
})

const registry = makeRegistry([...makeStdlib(), Pad])

const diagnostics = (source: string): Array<string> => {
  const r = compile(source, registry)
  return Either.isLeft(r) ? r.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`) : []
}

const run = (source: string, inputs: unknown = {}) => {
  const compiled = compile(source, registry)
  if (Either.isLeft(compiled)) throw new Error(compiled.left.diagnostics.map((d) => d.message).join("\n"))
  return Effect.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, inputs)).pipe(
    Effect.provide(Engine.layer.pipe(
      Layer.provideMerge(Scheduler.layerWith(16)),
      Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
    ))
  ))
}

describe("declaring defaults", () => {
  it("puts each default, in wire form, on its parameter", () => {
    expect(Pad.params).toEqual([
      { name: "text", type: TString },
      { name: "width", type: TInt, default: 8 },
      { name: "fill", type: TString, default: "." }
    ])
    expect(signature(Pad)).toBe("Pad(text: String, width: Int = 8, fill: String = \".\"): String")
  })

  it("refuses a default before a parameter without one, for a name that is not a parameter, or of the wrong type", () => {
    const base = { description: "", result: Schema.String, run: () => "" }
    expect(() => Module.sync({ ...base, name: "Gap", params: { a: Schema.String, b: Schema.String }, defaults: { a: "x" } }))
      .toThrow("Module Gap: parameter 'b' needs a default, since 'a' before it has one")
    expect(() => Module.sync({ ...base, name: "Stray", params: { a: Schema.String }, defaults: { b: "x" } as never }))
      .toThrow("a default is given for 'b', which is not a parameter")
    expect(() => Module.sync({ ...base, name: "Wrong", params: { n: Module.Int }, defaults: { n: 1.5 } }))
      .toThrow(/Module Wrong: the default of parameter 'n' is not a valid value/)
  })

  it("passes the default when the implementation is called with fewer arguments", () => {
    if (Pad.implementation._tag !== "Sync") throw new Error("sync")
    expect(Pad.implementation.run(["ab"])).toBe("......ab")
    expect(Pad.implementation.run(["ab", 4])).toBe("..ab")
  })
})

describe("calls that leave defaulted arguments out", () => {
  it("compile and run with the defaults", async () => {
    const source = "in t: String\na = Pad(t)\nb = Pad(t, 5)\nc = Pad(t, 5, \"-\")\nd = FormatNumber(3.14159)\ne = FormatNumber(3.14159, 3)\nout a\nout b\nout c\nout d\nout e"
    const result = await run(source, { t: "ab" })
    expect(result.outputs).toEqual({ a: "......ab", b: "...ab", c: "---ab", d: "3.14", e: "3.142" })
  })

  it("write the default into the DAG as a literal", () => {
    const compiled = compile("x = FormatNumber(2.5)\nout x", registry)
    if (Either.isLeft(compiled)) throw new Error("did not compile")
    const node = compiled.right.dag.modules[0]!
    const decimals = compiled.right.dag.data[node.args[1]!.data]!
    expect(decimals.source).toEqual({ _tag: "Inline", expr: { _tag: "Literal", value: 2 }, deps: [] })
  })

  it("report a range of argument counts (E401) for too few or too many", () => {
    expect(diagnostics("x = Pad()\nout x")).toEqual([
      "E401 1:5 Pad takes 1 to 3 arguments (text: String, width: Int = 8, fill: String = \".\") but got 0."
    ])
    expect(diagnostics("x = FormatNumber(1, 2, 3)\nout x")).toEqual([
      "E401 1:5 FormatNumber takes 1 to 2 arguments (number: Float, decimals: Int = 2) but got 3."
    ])
  })

  it("still check the type of every argument given (E402)", () => {
    expect(diagnostics("x = Pad(\"a\", \"wide\")\nout x")).toEqual([
      "E402 1:14 Argument 2 of Pad (width) must be Int, but it is String."
    ])
  })
})

describe("GET /modules", () => {
  let app: TestApp
  beforeAll(() => {
    app = makeApp()
  })
  afterAll(() => app.dispose())

  it("shows each default on its parameter and in the signature", async () => {
    const body = Schema.decodeUnknownSync(ModulesResponse)(await (await app.fetch("/modules")).json())
    const format = body.modules.find((m) => m.name === "FormatNumber")
    expect(format?.parameters).toEqual([{ name: "number", type: "Float" }, { name: "decimals", type: "Int", default: 2 }])
    expect(format?.signature).toBe("FormatNumber(number: Float, decimals: Int = 2): String")
  })
})
