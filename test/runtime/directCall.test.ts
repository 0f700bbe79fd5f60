/**
 * `Module.make`'s direct call (`Implementation.call`) is how the runtime
 * calls an Effect module when it can: the engine must answer exactly as it
 * does through `run` (the path of an implementation made by hand), in
 * batch and streamed, for every kind of body.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Layer, Schema, Stream } from "effect"
import { compile } from "../../src/lang/compileSource.js"
import * as Module from "../../src/modules/Module.js"
import { ModuleError } from "../../src/modules/ModuleError.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import * as Engine from "../../src/runtime/Engine.js"
import type { ExecutionEvent } from "../../src/runtime/ExecutionEvent.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"

const make = (name: string, run: (n: number) => Effect.Effect<number, ModuleError>) =>
  Module.make({ name, description: "test", params: { n: Schema.Number.pipe(Schema.positive()) }, result: Module.Int, run: ({ n }) => run(n) })

const modules: ReadonlyArray<Module.Module<never>> = [
  make("Twice", (n) => Effect.sync(() => n * 2)),
  make("Quarter", (n) => Effect.sync(() => n / 4)),
  make("Throws", () => Effect.sync((): number => { throw new Error("bug") })),
  make("Next", (n) => Effect.succeed(n + 1)),
  make("Refuses", () => Effect.fail(new ModuleError({ code: "nope", message: "no" }))),
  make("Dies", () => Effect.die("bug")),
  make("Sleeps", (n) => Effect.as(Effect.sleep("1 millis"), n))
]

/** The same modules as an implementation made by hand would be: `run` only. */
const withoutCall = modules.map((m): Module.Module<never> => {
  const impl = m.implementation
  if (impl._tag !== "Effect") return m
  return { ...m, implementation: { _tag: "Effect", run: impl.run, borrowsArgs: impl.borrowsArgs === true } }
})

const source = [
  "in n: Int",
  "a = Twice(n)", "b = Quarter(n)", "c = Throws(n)", "d = Next(a)", "e = Refuses(n)", "f = Dies(n)",
  "g = Sleeps(d)", "h = Next(n - 10)", "i = Twice(g)",
  "out a", "out b", "out c", "out d", "out e", "out f", "out g", "out h", "out i"
].join("\n")

/** What a consumer sees of an event, without the times and ids that differ between runs. */
const shape = (e: ExecutionEvent): string => {
  switch (e._tag) {
    case "Output": return `Output ${e.name}=${JSON.stringify(e.value)}`
    case "OutputFailed": return `OutputFailed ${e.name} ${e.error.code}`
    case "ModuleStarted": case "ModuleCompleted": return `${e._tag} ${e.module}`
    case "ModuleFailed": return `ModuleFailed ${e.module} ${e.error.code}`
    default: return e._tag
  }
}

const runWith = (mods: ReadonlyArray<Module.Module<never>>) => {
  const registry = makeRegistry(mods)
  const compiled = compile(source, registry)
  if (Either.isLeft(compiled)) throw new Error(compiled.left.message)
  return Effect.gen(function*() {
    const engine = yield* Engine.Engine
    const batch = yield* engine.run(compiled.right, { n: 3 })
    const events = yield* Stream.runCollect(yield* engine.runStreaming(compiled.right, { n: 3 }, { progress: true }))
    return {
      status: batch.status,
      outputs: batch.outputs,
      errors: Object.fromEntries(Object.entries(batch.errors).map(([k, v]) => [k, v.code])),
      // Progress events of independent modules interleave by when each ended; the outputs keep their order.
      events: Chunk.toReadonlyArray(events).map(shape).sort()
    }
  }).pipe(Effect.provide(Engine.layer.pipe(
    Layer.provideMerge(Scheduler.layerWith(16)),
    Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
  )))
}

describe("Module.make's direct call in the engine", () => {
  it.live("gives the same results and events as the module's `run`", () =>
    Effect.gen(function*() {
      const direct = yield* runWith(modules)
      const viaRun = yield* runWith(withoutCall)
      expect(direct).toEqual(viaRun)
      // And the run covered every kind of answer.
      expect(direct.outputs).toMatchObject({ a: 6, d: 7, g: 7, i: 14 })
      expect(direct.errors).toEqual({ b: "invalid_result", c: "module_defect", e: "nope", f: "module_defect", h: "invalid_argument" })
    }))
})
