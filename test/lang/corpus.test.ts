/**
 * The corpus: pipelines written from the language reference's
 * descriptions, each `test/lang/corpus/<name>.cst` with a sibling
 * `<name>.json` that says what it gives:
 *
 *     {"inputs": {...}, "outputs": {...}, "errors": {"out": "code"}}   runs to these outputs (and output errors)
 *     {"diagnostics": ["E331", ...]}                                   fails to compile with these codes, in order
 *
 * Each is checked twice: through the library (compile, then `Engine.run`)
 * and over HTTP against a real server on 127.0.0.1 (`POST /execute/stream`,
 * whose events are gathered into the same outputs and errors).
 */
import { readdirSync, readFileSync } from "node:fs"
import { Effect, Either, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { post, readAll } from "../http/support/sse.js"

interface Expected {
  readonly inputs?: Readonly<Record<string, unknown>>
  readonly outputs?: Readonly<Record<string, unknown>>
  readonly errors?: Readonly<Record<string, string>>
  readonly diagnostics?: ReadonlyArray<string>
}

interface Entry {
  readonly name: string
  readonly source: string
  readonly expected: Expected
}

const dir = new URL("./corpus/", import.meta.url)
const corpus: Array<Entry> = readdirSync(dir)
  .filter((f) => f.endsWith(".cst"))
  .sort()
  .map((file) => {
    const name = file.slice(0, -".cst".length)
    return {
      name,
      source: readFileSync(new URL(file, dir), "utf8"),
      expected: JSON.parse(readFileSync(new URL(`${name}.json`, dir), "utf8")) as Expected
    }
  })

const registry = makeRegistry(makeStdlib())
const engineLayer = Engine.layer.pipe(
  Layer.provideMerge(Scheduler.layerWith(256)),
  Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
)

const viaLibrary = async (entry: Entry) => {
  const compiled = compile(entry.source, registry)
  if (Either.isLeft(compiled)) return { diagnostics: compiled.left.diagnostics.map((d) => d.code) }
  const batch = await Effect.runPromise(
    Effect.flatMap(Engine.Engine, (engine) => engine.run(compiled.right, entry.expected.inputs ?? {})).pipe(Effect.provide(engineLayer))
  )
  return { outputs: batch.outputs, errors: Object.fromEntries(Object.entries(batch.errors).map(([k, e]) => [k, e.code])) }
}

const viaHttp = async (server: TestServer, entry: Entry) => {
  const response = await fetch(`${server.url}/execute/stream`, post({ source: entry.source, inputs: entry.expected.inputs ?? {} }))
  if (response.status !== 200) {
    const body = (await response.json()) as { readonly diagnostics?: ReadonlyArray<{ readonly code: string }> }
    return { status: response.status, diagnostics: (body.diagnostics ?? []).map((d) => d.code) }
  }
  const { events } = await readAll(response)
  const outputs: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const e of events) {
    const name = e.data["name"]
    if (typeof name !== "string") continue
    if (e.event === "error") errors[name] = String((e.data["error"] as { readonly code: string }).code)
    else outputs[name] = e.data["value"]
  }
  return { outputs, errors }
}

describe("corpus", () => {
  it("has the pipelines of each contributor", () => {
    expect(corpus.filter((e) => e.name.startsWith("types-")).length).toBeGreaterThanOrEqual(20)
  })

  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  for (const entry of corpus) {
    const { diagnostics } = entry.expected
    it(`${entry.name} ${diagnostics === undefined ? "runs" : `fails with ${diagnostics.join(" ")}`} (library and HTTP stream)`, async () => {
      const library = await viaLibrary(entry)
      const http = await viaHttp(server, entry)
      if (diagnostics !== undefined) {
        expect(library).toEqual({ diagnostics })
        expect(http).toEqual({ status: 400, diagnostics })
        return
      }
      const expected = { outputs: entry.expected.outputs ?? {}, errors: entry.expected.errors ?? {} }
      expect(library).toEqual(expected)
      expect(http).toEqual(expected)
    })
  }
})
