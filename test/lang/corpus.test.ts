/**
 * The corpus: every `test/lang/corpus/*.cst` pipeline with its sibling
 * `.json`, either `{"inputs": {...}, "outputs": {...}, "errors"?: {name: code}}`
 * (what running it gives) or `{"diagnostics": ["E120", ...]}` (the codes
 * compiling it reports, in source order). Each runs twice: through the
 * library (the Engine over the standard library) and over HTTP, with
 * `POST /execute/stream` against a real server on 127.0.0.1.
 */
import { readdirSync, readFileSync } from "node:fs"
import { Effect, Either, Layer, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { post, readAll } from "../http/support/sse.js"

const Json = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Expectation = Schema.Union(
  Schema.Struct({ inputs: Json, outputs: Json, errors: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })) }),
  Schema.Struct({ diagnostics: Schema.Array(Schema.String) })
)

const dir = new URL("./corpus/", import.meta.url)
const cases = readdirSync(dir).filter((f) => f.endsWith(".cst")).sort().map((file) => ({
  name: file.replace(/\.cst$/, ""),
  source: readFileSync(new URL(file, dir), "utf8"),
  expected: Schema.decodeUnknownSync(Expectation)(JSON.parse(readFileSync(new URL(file.replace(/\.cst$/, ".json"), dir), "utf8")))
}))

const registry = makeRegistry(makeStdlib())
const engineLayer = Engine.layer.pipe(
  Layer.provideMerge(Scheduler.layerWith(1024)),
  Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
)

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("corpus", () => {
  it("has pipelines", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20)
  })

  for (const c of cases) {
    it(`${c.name}: library`, async () => {
      const compiled = compile(c.source, registry)
      if ("diagnostics" in c.expected) {
        expect(Either.isLeft(compiled) ? compiled.left.diagnostics.map((d) => d.code) : []).toEqual(c.expected.diagnostics)
        return
      }
      if (Either.isLeft(compiled)) throw new Error(compiled.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join("\n"))
      const { inputs } = c.expected
      const batch = await Effect.runPromise(
        Effect.flatMap(Engine.Engine, (engine) => engine.run(compiled.right, inputs as never)).pipe(Effect.provide(engineLayer))
      )
      const errors = Object.fromEntries(Object.entries(batch.errors).map(([name, e]) => [name, e.code]))
      expect({ outputs: batch.outputs, errors }).toEqual({ outputs: c.expected.outputs, errors: c.expected.errors ?? {} })
    })

    it(`${c.name}: POST /execute/stream`, async () => {
      const inputs = "inputs" in c.expected ? c.expected.inputs : {}
      const response = await fetch(`${server.url}/execute/stream`, post({ source: c.source, inputs }))
      if ("diagnostics" in c.expected) {
        expect(response.status).toBe(400)
        const body = await response.json() as { readonly diagnostics: ReadonlyArray<{ readonly code: string }> }
        expect(body.diagnostics.map((d) => d.code)).toEqual(c.expected.diagnostics)
        return
      }
      expect(response.status).toBe(200)
      const { events } = await readAll(response)
      const outputs: Record<string, unknown> = {}
      const errors: Record<string, unknown> = {}
      for (const e of events) {
        const name = e.data["name"]
        if (typeof name !== "string") continue
        if (e.event === "output" || e.event === "complete") outputs[name] = e.data["value"]
        else if (e.event === "error") errors[name] = (e.data["error"] as { readonly code: string }).code
      }
      expect({ outputs, errors }).toEqual({ outputs: c.expected.outputs, errors: c.expected.errors ?? {} })
    })
  }
})
