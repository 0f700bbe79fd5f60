/**
 * The corpus: every `test/lang/corpus/*.cst` pipeline with its sibling
 * `.json` (`{"inputs": {...}, "outputs": {...}, "errors"?: {name: code}}`,
 * or `{"diagnostics": ["E1xx", ...]}` for one that must not compile), run
 * through the library (the Engine, under the test clock) and through
 * `POST /execute/stream` on a real server on 127.0.0.1.
 */
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { afterAll, beforeAll } from "vitest"
import { Effect, Either, Fiber, Layer, TestClock } from "effect"
import { compile } from "../../src/lang/compileSource.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { post, readAll } from "../http/support/sse.js"

interface Expected {
  readonly inputs?: Record<string, unknown>
  readonly outputs?: Record<string, unknown>
  readonly errors?: Record<string, string>
  readonly diagnostics?: ReadonlyArray<string>
}

const dir = new URL("./corpus/", import.meta.url)
const cases = readdirSync(dir).filter((f) => f.endsWith(".cst")).sort().map((file) => ({
  name: file.replace(/\.cst$/, ""),
  source: readFileSync(new URL(file, dir), "utf8"),
  expected: JSON.parse(readFileSync(new URL(file.replace(/\.cst$/, ".json"), dir), "utf8")) as Expected
}))

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("corpus", () => {
  it("has at least 60 pipelines", () => expect(cases.length).toBeGreaterThanOrEqual(60))

  for (const c of cases) {
    describe(c.name, () => {
      it.effect("through the library", () =>
        Effect.gen(function*() {
          const registry = makeRegistry(makeStdlib())
          const compiled = compile(c.source, registry)
          if (c.expected.diagnostics !== undefined) {
            expect(Either.isLeft(compiled) ? compiled.left.diagnostics.map((d) => d.code) : []).toEqual(c.expected.diagnostics)
            return
          }
          if (Either.isLeft(compiled)) throw new Error(compiled.left.message)
          const layer = Engine.layer.pipe(
            Layer.provideMerge(Scheduler.layerWith(1024)),
            Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
          )
          const fiber = yield* Effect.fork(
            Effect.flatMap(Engine.Engine, (engine) => engine.run(compiled.right, c.expected.inputs ?? {})).pipe(Effect.provide(layer))
          )
          yield* TestClock.adjust("1 hour")
          const result = yield* Fiber.join(fiber)
          const codes = Object.fromEntries(Object.entries(result.errors).map(([k, e]) => [k, e.code]))
          expect({ outputs: result.outputs, errors: codes }).toEqual({ outputs: c.expected.outputs ?? {}, errors: c.expected.errors ?? {} })
        }))

      it("through POST /execute/stream", async () => {
        const response = await fetch(`${server.url}/execute/stream`, post({ source: c.source, inputs: c.expected.inputs ?? {} }))
        if (c.expected.diagnostics !== undefined) {
          expect(response.status).toBe(400)
          const body = await response.json() as { diagnostics?: ReadonlyArray<{ code: string }> }
          expect(body.diagnostics?.map((d) => d.code)).toEqual(c.expected.diagnostics)
          return
        }
        expect(response.status).toBe(200)
        const { events } = await readAll(response)
        const outputs = Object.fromEntries(events.filter((e) => e.event === "output" || e.event === "complete").map((e) => [e.id, e.data["value"]]))
        const errors = Object.fromEntries(
          events.filter((e) => e.event === "error" && e.id !== undefined).map((e) => [e.id, (e.data["error"] as { code: string }).code])
        )
        expect({ outputs, errors }).toEqual({ outputs: c.expected.outputs ?? {}, errors: c.expected.errors ?? {} })
      }, 20_000)
    })
  }
})
