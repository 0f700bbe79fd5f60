/**
 * Modules whose signatures have union and map types: `GET /modules` spells
 * them in the language, a union argument reaches the implementation as its
 * member's value, and a union result may be returned untagged.
 */
import { Effect, Either, Layer, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import * as Module from "../../src/modules/Module.js"
import { makeRegistry, ModuleRegistry, signature } from "../../src/modules/ModuleRegistry.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { makeApp } from "../http/support/server.js"

const Describe = Module.sync({
  name: "Describe",
  description: "Describes a text or a number.",
  params: { value: Schema.Union(Schema.String, Schema.Number) },
  result: Schema.String,
  run: ({ value }) => (typeof value === "string" ? `text ${value}` : `number ${value}`)
})

const Parse = Module.sync({
  name: "Parse",
  description: "A number when the text is one, else the text.",
  params: { text: Schema.String },
  result: Schema.Union(Schema.Number, Schema.String),
  run: ({ text }) => (/^\d+$/.test(text) ? Number(text) : text)
})

const Tally = Module.sync({
  name: "Tally",
  description: "Counts the words of a text.",
  params: { text: Schema.String },
  result: Schema.Record({ key: Schema.String, value: Schema.Number }),
  run: ({ text }) => {
    const counts: Record<string, number> = {}
    for (const w of text.split(" ")) counts[w] = (counts[w] ?? 0) + 1
    return counts
  }
})

const registry = makeRegistry([Describe, Parse, Tally])

describe("modules with union and map types", () => {
  it("pass union arguments as the member's value and tag union results", async () => {
    const source = "in a: String\nparsed = Parse(a)\nsaid = Describe(parsed)\nkind = match parsed { is Float -> \"n\", is String -> \"s\" }\ncounts = Tally(a)\nout parsed\nout said\nout kind\nout counts"
    const compiled = compile(source, registry)
    if (Either.isLeft(compiled)) throw new Error(compiled.left.message)
    const layer = Engine.layer.pipe(Layer.provideMerge(Scheduler.layerWith(16)), Layer.provideMerge(Layer.succeed(ModuleRegistry, registry)))
    const run = (a: string) =>
      Effect.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, { a })).pipe(Effect.provide(layer)))
    expect((await run("42")).outputs).toEqual({
      parsed: { tag: "Float", value: 42 },
      said: "number 42",
      kind: "n",
      counts: { "42": 1 }
    })
    expect((await run("hi")).outputs).toMatchObject({ parsed: { tag: "String", value: "hi" }, said: "text hi", kind: "s" })
  })

  it("show their types in the language's spelling in signatures (GET /modules) and on POST /compile", async () => {
    expect(registry.list().map(signature)).toEqual([
      "Describe(value: Float | String): String",
      "Parse(text: String): Float | String",
      "Tally(text: String): Map<String, Float>"
    ])
    const app = makeApp()
    try {
      const source = "in u: {error: String} | Int\nin m: Map<Int, List<String>>\nout u\nout m"
      const response = await app.fetch("/compile", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ source }) })
      const body = (await response.json()) as { readonly inputs: Readonly<Record<string, string>> }
      expect(body.inputs).toEqual({ u: "Int | {error: String}", m: "Map<Int, List<String>>" })
    } finally {
      await app.dispose()
    }
  })
})
