import { it, expect } from "@effect/vitest"
import { Effect, Either, Fiber, Layer, TestClock } from "effect"
import { compile } from "../../../src/lang/compileSource.js"
import { makeRegistry, ModuleRegistry } from "../../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../../src/modules/stdlib/index.js"
import * as Engine from "../../../src/runtime/Engine.js"
import * as Scheduler from "../../../src/runtime/Scheduler.js"
const src = `
in names: List<String>
in xs: List<Int>
use stdlib.compare
upper = map(names, (n) => Uppercase(n))
slow = map(names, (n) => Delay(n, 100))
pos = filter(xs, (x) => gt(x, 0))
anyBig = any(xs, (x) => Delay(x, 10) > 2)
out upper
out slow
out pos
out anyBig
`
it.effect("smoke", () => Effect.gen(function*() {
  const registry = makeRegistry(makeStdlib())
  const compiled = compile(src, registry)
  if (Either.isLeft(compiled)) { console.log(JSON.stringify(compiled.left.diagnostics, null, 1)); throw new Error(compiled.left.message) }
  const layer = Engine.layer.pipe(Layer.provideMerge(Scheduler.layerWith(1024)), Layer.provideMerge(Layer.succeed(ModuleRegistry, registry)))
  const fiber = yield* Effect.fork(Effect.flatMap(Engine.Engine, (engine) => engine.run(compiled.right, { names: ["a", "b"], xs: [1, -2, 3] })).pipe(Effect.provide(layer)))
  yield* TestClock.adjust("1 hour")
  const result = yield* Fiber.join(fiber)
  console.log(JSON.stringify(result, null, 1))
}))
