/**
 * bench/lambdas: list functions with a lambda over 10,000 elements against
 * the same loop written in plain TypeScript, in the same run, as a ratio.
 *
 * Two rows per workload: the list function alone (the compiled pipeline's
 * inline node, evaluated as the engine evaluates it), and the whole run
 * through `Engine.run` (decoding the 10,000 inputs, the node, the output).
 * The plain loops are `for` loops pushing into an array, without the
 * engine's Int overflow checks.
 *
 * A third table: a `Module.sync` module called per element over 1,000
 * elements, against plain loops and the operator form.
 *
 * Run: node --expose-gc scripts/bench.mjs bench/lambdas.ts (or npx tsx bench/lambdas.ts, slower: see scripts/bench.mjs)
 */
import { performance } from "node:perf_hooks"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { compile } from "../src/lang/compileSource.js"
import type { CompiledPipeline } from "../src/lang/CompiledPipeline.js"
import type { Value } from "../src/lang/value.js"
import { makeRegistry, ModuleRegistry } from "../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../src/modules/stdlib/index.js"
import * as Engine from "../src/runtime/Engine.js"
import { evaluate } from "../src/runtime/internal/evaluate.js"
import * as Scheduler from "../src/runtime/Scheduler.js"
import { isMain, median, table } from "./support.js"

const N = 10_000
const registry = makeRegistry(makeStdlib())
const runtime = ManagedRuntime.make(Engine.layer.pipe(
  Layer.provideMerge(Scheduler.layerWith(1024)),
  Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
))

interface Workload {
  readonly label: string
  readonly source: string
  readonly inputs: Readonly<Record<string, Value>>
  /** The same computation as a plain loop. */
  readonly plain: (inputs: Readonly<Record<string, Value>>) => Value
}

const ints = Array.from({ length: N }, (_, i) => (i * 7919) % 1000 - 500)
const items = Array.from({ length: N }, (_, i) => ({ name: `item${i}`, price: (i % 50) + 0.5, qty: i % 7 }))

const workloads: ReadonlyArray<Workload> = [
  {
    label: "filter(xs, (x) => x > t)",
    source: "in xs: List<Int>\nin t: Int\nr = filter(xs, (x) => x > t)\nout r",
    inputs: { xs: ints, t: 0 },
    plain: ({ xs, t }) => {
      const a = xs as ReadonlyArray<number>, k = t as number
      const out: Array<number> = []
      for (let i = 0; i < a.length; i++) if (a[i]! > k) out.push(a[i]!)
      return out
    }
  },
  {
    label: "map(xs, (x) => x * 2 + 1)",
    source: "in xs: List<Int>\nr = map(xs, (x) => x * 2 + 1)\nout r",
    inputs: { xs: ints },
    plain: ({ xs }) => {
      const a = xs as ReadonlyArray<number>
      const out: Array<number> = []
      for (let i = 0; i < a.length; i++) out.push(a[i]! * 2 + 1)
      return out
    }
  },
  {
    label: "all(xs, (x) => x >= -500)",
    source: "in xs: List<Int>\nr = all(xs, (x) => x >= -500)\nout r",
    inputs: { xs: ints },
    plain: ({ xs }) => {
      const a = xs as ReadonlyArray<number>
      for (let i = 0; i < a.length; i++) if (!(a[i]! >= -500)) return false
      return true
    }
  },
  {
    label: "map(items, (i) => i.price * i.qty) on records",
    source: "in items: List<{name: String, price: Float, qty: Int}>\nr = map(items, (i) => i.price * i.qty)\nout r",
    inputs: { items },
    plain: ({ items: v }) => {
      const a = v as ReadonlyArray<{ readonly price: number; readonly qty: number }>
      const out: Array<number> = []
      for (let i = 0; i < a.length; i++) out.push(a[i]!.price * a[i]!.qty)
      return out
    }
  }
]

const compiled = (source: string): CompiledPipeline => {
  const r = compile(source, registry)
  if (Either.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

/** Median ms per call of `f`, over `samples` samples of `reps` calls each (after a warm-up). */
const perCall = (f: () => unknown, reps: number, samples: number): number => {
  for (let i = 0; i < reps * 5; i++) f()
  const times: Array<number> = []
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now()
    for (let i = 0; i < reps; i++) f()
    times.push((performance.now() - t0) / reps)
  }
  return median(times)
}

const perRun = async (f: () => Promise<unknown>, runs: number): Promise<number> => {
  for (let i = 0; i < 10; i++) await f()
  const times: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await f()
    times.push(performance.now() - t0)
  }
  return median(times)
}

export const main = async (): Promise<string> => {
  const rows: Array<Array<string | number>> = []
  for (const w of workloads) {
    const pipeline = compiled(w.source)
    const node = pipeline.dag.data.find((d) => d.name === "r")
    if (node?.source._tag !== "Inline") throw new Error(`${w.label}: r is not an inline node`)
    const expr = node.source.expr
    const values: Array<Value | undefined> = pipeline.dag.inputs.map((b) => w.inputs[b.name])
    const expected = JSON.stringify(w.plain(w.inputs))
    if (JSON.stringify(evaluate(expr, values)) !== expected) throw new Error(`${w.label}: the list function and the plain loop disagree`)
    const plain = perCall(() => w.plain(w.inputs), 50, 30) * 1000
    const inline = perCall(() => evaluate(expr, values), 50, 30) * 1000
    const run = () => runtime.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(pipeline, w.inputs)))
    const batch = await run()
    if (JSON.stringify(batch.outputs["r"]) !== expected) throw new Error(`${w.label}: the engine and the plain loop disagree`)
    const whole = (await perRun(run, 40)) * 1000
    rows.push([w.label, plain, inline, `${(inline / plain).toFixed(2)}x`, whole, `${(whole / plain).toFixed(1)}x`])
  }
  const perElement = await perElementCalls()
  await runtime.dispose()
  return `### Lambdas over ${N.toLocaleString("en-US")} elements\n\n${table(
    ["workload", "plain TypeScript loop µs", "list function µs", "ratio", "whole Engine.run µs", "ratio"],
    rows
  )}\n\n${perElement}`
}

const M = 1_000

/**
 * A `Module.sync` module called per element, `map(xs, (x) => multiply(x, 2))`
 * over 1,000 Ints, against a plain loop computing `x * 2`, a plain loop
 * calling the module's implementation, and the operator form
 * `map(xs, (x) => x * 2)`; both pipeline forms through the whole
 * `Engine.run` (decoding the input, the node, the output), where the
 * per-element form makes every call inline (ElementRun's synchronous pass).
 */
const perElementCalls = async (): Promise<string> => {
  const xs = ints.slice(0, M)
  const inputs = { xs }
  const byCall = compiled("use stdlib.math\nin xs: List<Int>\nr = map(xs, (x) => multiply(x, 2))\nout r")
  const byOperator = compiled("in xs: List<Int>\nr = map(xs, (x) => x * 2)\nout r")
  const multiply = registry.get("stdlib.math.multiply")?.implementation
  if (multiply?._tag !== "Sync") throw new Error("multiply is not a Module.sync module")
  const plainLoop = () => {
    const out: Array<number> = []
    for (let i = 0; i < xs.length; i++) out.push(xs[i]! * 2)
    return out
  }
  const plainModule = () => {
    const out: Array<Value> = []
    for (let i = 0; i < xs.length; i++) out.push(multiply.run([xs[i]!, 2]) as Value)
    return out
  }
  const expected = JSON.stringify(plainLoop())
  if (JSON.stringify(plainModule()) !== expected) throw new Error("the module and the plain loop disagree")
  const runOf = (p: CompiledPipeline) => () => runtime.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(p, inputs)))
  const [callRun, operatorRun] = [runOf(byCall), runOf(byOperator)]
  for (const run of [callRun, operatorRun]) {
    if (JSON.stringify((await run()).outputs["r"]) !== expected) throw new Error("the engine and the plain loop disagree")
  }
  const plain = perCall(plainLoop, 200, 30) * 1000
  const viaModule = perCall(plainModule, 50, 30) * 1000
  // Alternating, so drifting load hits both alike.
  const calls: Array<number> = [], operator: Array<number> = []
  for (let round = 0; round < 4; round++) {
    calls.push(await perRun(callRun, 20) * 1000)
    operator.push(await perRun(operatorRun, 20) * 1000)
  }
  const c = median(calls), o = median(operator)
  const row = [
    "`map(xs, (x) => multiply(x, 2))`",
    plain,
    viaModule,
    o,
    c,
    `${(c / viaModule).toFixed(2)}x`,
    `${(c / o).toFixed(2)}x`
  ]
  return `### A Module.sync module called per element, over ${M.toLocaleString("en-US")} elements\n\n${table(
    [
      "workload",
      "plain loop `x * 2` µs",
      "plain loop calling the module µs",
      "operator form, Engine.run µs",
      "per-element calls, Engine.run µs",
      "vs loop calling the module",
      "vs operator form"
    ],
    [row]
  )}\n`
}

if (isMain(import.meta.url)) main().then((s) => console.log(s))
