/**
 * Argument arrays: a body made by `Module.sync` / `Module.make` borrows its
 * arguments (the runtime lends it one array per arity); a body of its own
 * making that keeps its arguments gets a new array each call.
 */
import { Effect, Either, Exit, Layer, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { compile } from "../../../src/lang/compileSource.js"
import type { Value } from "../../../src/lang/value.js"
import * as Module from "../../../src/modules/Module.js"
import { makeRegistry, ModuleRegistry, provideModule } from "../../../src/modules/ModuleRegistry.js"
import * as Engine from "../../../src/runtime/Engine.js"
import * as Scheduler from "../../../src/runtime/Scheduler.js"

const kept: Array<ReadonlyArray<Value>> = []
/** Keeps every argument array it is given: it must not borrow them. */
const Keep: Module.Module = {
  name: "Keep",
  description: "Keeps its arguments.",
  params: [{ name: "a", type: { _tag: "String" } }, { name: "b", type: { _tag: "String" } }],
  result: { _tag: "String" },
  implementation: { _tag: "Sync", run: (args) => (kept.push(args), `${args[0]}${args[1]}`) }
}
const KeepEffect: Module.Module = { ...Keep, name: "KeepEffect", implementation: { _tag: "Effect", run: (args) => (kept.push(args), Exit.succeed(`${args[0]}!`)) } }
const Join = Module.sync({ name: "Join", description: "a + b", params: { a: Schema.String, b: Schema.String }, result: Schema.String, run: ({ a, b }) => a + b })
const JoinE = Module.make({ name: "JoinE", description: "a + b", params: { a: Schema.String, b: Schema.String }, result: Schema.String, run: ({ a, b }) => Effect.succeed(`${a}+${b}`) })
const Up = Module.sync({ name: "Up", description: "upper", params: { a: Schema.String }, result: Schema.String, run: ({ a }) => a.toUpperCase() })

const run = (source: string, inputs: Record<string, string>) => {
  const registry = makeRegistry([Keep, KeepEffect, Join, JoinE, Up])
  const compiled = compile(source, registry)
  if (Either.isLeft(compiled)) throw new Error("does not compile")
  const layer = Engine.layer.pipe(Layer.provideMerge(Layer.merge(Layer.succeed(ModuleRegistry, registry), Scheduler.layerWith(64))))
  return Effect.runPromise(Effect.provide(Effect.flatMap(Engine.Engine, (e) => e.run(compiled.right, inputs)), layer))
}

describe("argument arrays", () => {
  it("Module.sync and Module.make borrow theirs; provideModule keeps the flag", async () => {
    expect(Join.implementation.borrowsArgs).toBe(true)
    expect(JoinE.implementation.borrowsArgs).toBe(true)
    expect(Keep.implementation.borrowsArgs).toBeUndefined()
    expect((await Effect.runPromise(provideModule(JoinE))).implementation.borrowsArgs).toBe(true)
    expect((await Effect.runPromise(provideModule(KeepEffect))).implementation.borrowsArgs).toBeUndefined()
  })

  it("bodies that share arrays of the same arity each see their own arguments", async () => {
    const source = [
      "in x: String", "in y: String",
      "a = Join(x, y)", "b = Join(y, x)", "c = JoinE(a, b)", "d = Up(c)", "e = Join(d, x)", "f = JoinE(e, Up(y))",
      "out a", "out b", "out c", "out d", "out e", "out f"
    ].join("\n")
    const r = await run(source, { x: "p", y: "q" })
    expect(r.outputs).toEqual({ a: "pq", b: "qp", c: "pq+qp", d: "PQ+QP", e: "PQ+QPp", f: "PQ+QPp+Q" })
  })

  it("a body that keeps its arguments gets a new array each call", async () => {
    kept.length = 0
    const source = "in x: String\nin y: String\na = Keep(x, y)\nb = Keep(y, x)\nc = Join(a, b)\nd = Keep(c, x)\ne = KeepEffect(d, y)\nout e"
    const r = await run(source, { x: "1", y: "2" })
    expect(r.outputs).toEqual({ e: "12211!" })
    expect(kept.map((a) => [...a])).toEqual([["1", "2"], ["2", "1"], ["1221", "1"], ["12211", "2"]])
  })
})
