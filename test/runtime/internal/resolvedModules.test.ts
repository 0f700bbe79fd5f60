/**
 * A plan's modules as the registry gives them: looked up once per plan for
 * a registry `makeRegistry` made (it never changes), and again for every
 * execution through a registry written by hand, which may give another
 * module for a name between two executions.
 */
import { Effect, Either, Layer, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { compile } from "../../../src/lang/compileSource.js"
import * as Module from "../../../src/modules/Module.js"
import { isFixedLookup, makeRegistry, ModuleRegistry } from "../../../src/modules/ModuleRegistry.js"
import type { ModuleRegistryShape, RegisteredModule } from "../../../src/modules/ModuleRegistry.js"
import * as Engine from "../../../src/runtime/Engine.js"
import { planOf } from "../../../src/runtime/internal/Plan.js"
import { resolvedOf } from "../../../src/runtime/internal/resolvedModules.js"
import * as Scheduler from "../../../src/runtime/Scheduler.js"

const greet = (word: string) =>
  Module.sync({ name: "Greet", description: "greets", params: { name: Schema.String }, result: Schema.String, run: ({ name }) => `${word} ${name}` })

const SOURCE = "in name: String\ng = Greet(name)\nout g"

describe("a plan's modules", () => {
  it("from a registry makeRegistry made: fixed, so one lookup per plan serves every execution", () => {
    const registry = makeRegistry([greet("hello")])
    expect(isFixedLookup(registry.get)).toBe(true)
    const compiled = compile(SOURCE, registry)
    if (Either.isLeft(compiled)) throw new Error("does not compile")
    const plan = planOf(compiled.right)
    const first = resolvedOf(plan, registry.get)
    expect(first.impls.map((m) => m?.name)).toEqual(["Greet"])
    expect(resolvedOf(plan, registry.get)).toBe(first)
  })

  it("from a registry written by hand: looked up for every execution, so a module it swaps is the one that runs", async () => {
    let current: RegisteredModule = greet("hello")
    const byHand: ModuleRegistryShape = {
      get: (name) => (name === "Greet" ? current : undefined),
      list: () => [current],
      fingerprint: "by hand"
    }
    expect(isFixedLookup(byHand.get)).toBe(false)
    const compiled = compile(SOURCE, byHand)
    if (Either.isLeft(compiled)) throw new Error("does not compile")
    const layer = Engine.layer.pipe(Layer.provideMerge(Layer.merge(Layer.succeed(ModuleRegistry, byHand), Scheduler.layerWith(8))))
    const run = () => Effect.runPromise(Effect.provide(Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, { name: "ada" })), layer))
    expect((await run()).outputs).toEqual({ g: "hello ada" })
    current = greet("bonjour")
    expect((await run()).outputs).toEqual({ g: "bonjour ada" })
  })
})
