/**
 * bench/runtime: the engine against a minimal Promise-based DAG executor
 * (the floor of what JavaScript can do), in the same run, as a ratio.
 *
 * Workloads of 1,000 trivial modules: wide (independent), chain, and 10
 * layers of 100 where each module reads two of the layer before; each with
 * a pure module (`Module.sync`, run inline by the scheduler) and with an
 * Effect module (`Module.make`, one fiber each). And the fan-out case: time
 * to first and last output of three outputs taking 5, 50 and 500 ms.
 *
 * Run: node --expose-gc scripts/bench.mjs bench/runtime.ts (or npx tsx bench/runtime.ts, slower: see scripts/bench.mjs)
 */
import { performance } from "node:perf_hooks"
import { Effect, Either, Layer, ManagedRuntime, Schema, Stream } from "effect"
import { compile } from "../src/lang/compileSource.js"
import type { CompiledPipeline } from "../src/lang/CompiledPipeline.js"
import * as Module from "../src/modules/Module.js"
import { makeRegistry, ModuleRegistry } from "../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../src/modules/stdlib/index.js"
import * as Engine from "../src/runtime/Engine.js"
import * as Scheduler from "../src/runtime/Scheduler.js"
import { isMain, median, table, timeRuns } from "./support.js"

const Inc = Module.sync({ name: "Inc", description: "n + 1", params: { n: Schema.Int }, result: Schema.Int, run: ({ n }) => n + 1 })
const Add = Module.sync({ name: "Add", description: "a + b", params: { a: Schema.Int, b: Schema.Int }, result: Schema.Int, run: ({ a, b }) => a + b })
const IncE = Module.make({ name: "IncE", description: "n + 1", params: { n: Schema.Int }, result: Schema.Int, run: ({ n }) => Effect.succeed(n + 1) })
const IncY = Module.make({ name: "IncY", description: "n + 1 after yielding", params: { n: Schema.Int }, result: Schema.Int, run: ({ n }) => Effect.as(Effect.yieldNow(), n + 1) })
const AddY = Module.make({ name: "AddY", description: "a + b after yielding", params: { a: Schema.Int, b: Schema.Int }, result: Schema.Int, run: ({ a, b }) => Effect.as(Effect.yieldNow(), a + b) })
const AddE = Module.make({ name: "AddE", description: "a + b", params: { a: Schema.Int, b: Schema.Int }, result: Schema.Int, run: ({ a, b }) => Effect.succeed(a + b) })

/** A workload as a list of nodes (each reads earlier nodes or the input -1) and the sink nodes that are outputs. */
interface Shape { readonly deps: ReadonlyArray<ReadonlyArray<number>>; readonly outputs: ReadonlyArray<number> }

const wide = (n: number): Shape => ({ deps: Array.from({ length: n }, () => [-1]), outputs: Array.from({ length: n }, (_, i) => i) })
const chain = (n: number): Shape => ({ deps: Array.from({ length: n }, (_, i) => [i - 1]), outputs: [n - 1] })
const lattice = (layers: number, width: number): Shape => {
  const deps: Array<Array<number>> = []
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      deps.push(l === 0 ? [-1] : [(l - 1) * width + i, (l - 1) * width + ((i + 1) % width)])
    }
  }
  return { deps, outputs: Array.from({ length: width }, (_, i) => (layers - 1) * width + i) }
}

type Kind = "pure" | "effect" | "suspending"
const suffix: Record<Kind, string> = { pure: "", effect: "E", suspending: "Y" }
const kindLabel: Record<Kind, string> = {
  pure: "pure module (inline)",
  effect: "Effect module, completes at once (no fiber)",
  suspending: "Effect module that suspends (a fiber each)"
}

const toSource = (shape: Shape, kind: Kind): string => {
  const name = (d: number) => (d < 0 ? "x" : `n${d}`)
  const lines = ["in x: Int"]
  shape.deps.forEach((ds, i) => {
    lines.push(ds.length === 1 ? `n${i} = Inc${suffix[kind]}(${name(ds[0]!)})` : `n${i} = Add${suffix[kind]}(${name(ds[0]!)}, ${name(ds[1]!)})`)
  })
  for (const o of shape.outputs) lines.push(`out n${o}`)
  return lines.join("\n")
}

/** The floor: each module an async function awaiting its inputs' promises. */
const promiseFloor = async (shape: Shape, x: number): Promise<Record<string, number>> => {
  const inc = async (n: number) => n + 1
  const add = async (a: number, b: number) => a + b
  const nodes: Array<Promise<number>> = []
  const input = Promise.resolve(x)
  for (const ds of shape.deps) {
    const ins = ds.map((d) => (d < 0 ? input : nodes[d]!))
    nodes.push(ins.length === 1
      ? ins[0]!.then(inc)
      : Promise.all(ins).then(([a, b]) => add(a!, b!)))
  }
  const out: Record<string, number> = {}
  await Promise.all(shape.outputs.map(async (o) => { out[`n${o}`] = await nodes[o]! }))
  return out
}

const registry = makeRegistry([...makeStdlib(), Inc, Add, IncE, AddE, IncY, AddY])
const runtime = ManagedRuntime.make(Engine.layer.pipe(
  Layer.provideMerge(Scheduler.layerWith(1_000_000)),
  Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
))

const compiled = (source: string): CompiledPipeline => {
  const r = compile(source, registry)
  if (Either.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const runBatch = (p: CompiledPipeline, inputs: unknown) =>
  runtime.runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(p, inputs)))
const runStream = (p: CompiledPipeline, inputs: unknown) =>
  runtime.runPromise(Effect.flatMap(Engine.Engine, (e) => Effect.flatMap(e.runStreaming(p, inputs), Stream.runDrain)))

export const main = async (): Promise<string> => {
  const shapes: Array<[string, Shape]> = [["wide 1,000", wide(1000)], ["chain 1,000", chain(1000)], ["10 layers of 100", lattice(10, 100)]]
  const rows: Array<Array<string | number>> = []
  // Every path warmed up before anything is timed: in a process of its own (npm run bench runs each
  // section so), the first workload timed would otherwise pay for the JIT's tiering up.
  for (const [, shape] of shapes) {
    await timeRuns(0, 20, () => promiseFloor(shape, 1))
    for (const kind of ["pure", "effect", "suspending"] as const) {
      const p = compiled(toSource(shape, kind))
      await timeRuns(0, 20, () => runBatch(p, { x: 1 }))
      await timeRuns(0, 10, () => runStream(p, { x: 1 }))
    }
  }
  for (const [label, shape] of shapes) {
    const n = shape.deps.length
    const floor = median(await timeRuns(40, 10, () => promiseFloor(shape, 1))) * 1000 / n
    for (const kind of ["pure", "effect", "suspending"] as const) {
      const p = compiled(toSource(shape, kind))
      const check = await runBatch(p, { x: 1 })
      const expected = await promiseFloor(shape, 1)
      if (JSON.stringify(check.outputs) !== JSON.stringify(expected)) throw new Error(`${label}: engine and floor disagree`)
      const batch = median(await timeRuns(40, 10, () => runBatch(p, { x: 1 }))) * 1000 / n
      const stream = median(await timeRuns(40, 10, () => runStream(p, { x: 1 }))) * 1000 / n
      rows.push([label, kindLabel[kind], floor, batch, stream, `${(batch / floor).toFixed(2)}x`, `${(stream / floor).toFixed(2)}x`])
    }
  }
  const perModule = table(["workload", "module kind", "Promise floor µs/module", "engine batch µs/module", "engine stream µs/module", "batch ratio", "stream ratio"], rows)

  // A cache hit against running the same Module.sync module: wide 1,000, every call `with cache` and warmed first.
  const plain = compiled(toSource(wide(1000), "pure"))
  const cachedSource = toSource(wide(1000), "pure").replace(/= Inc\(x\)/g, "= Inc(x) with cache: 1h")
  const cached = compiled(cachedSource)
  await runBatch(cached, { x: 1 })
  // Alternating rounds, so drifting load hits both alike.
  const syncRuns: Array<number> = []
  const hitRuns: Array<number> = []
  for (let round = 0; round < 16; round++) {
    const warmup = round === 0 ? 10 : 1
    syncRuns.push(...await timeRuns(8, warmup, () => runBatch(plain, { x: 1 })))
    hitRuns.push(...await timeRuns(8, warmup, () => runBatch(cached, { x: 1 })))
  }
  const syncUs = median(syncRuns) * 1000 / 1000
  const hitUs = median(hitRuns) * 1000 / 1000
  const cacheTable = table(["wide 1,000, batch", "µs/module"], [
    ["Module.sync module run", syncUs],
    ["the same call answered from the cache (with cache: 1h, warm)", hitUs],
    ["ratio, hit / run", `${(hitUs / syncUs).toFixed(2)}x`]
  ])

  // Fan-out: time to first and last output, real timers.
  const fanOut = compiled(`in text: String\nfast = Delay(text, 5)\nmedium = Delay(text, 50)\nslow = Delay(text, 500)\nout fast\nout medium\nout slow`)
  const floorFirst: Array<number> = [], floorLast: Array<number> = [], firsts: Array<number> = [], lasts: Array<number> = []
  const sinkFirsts: Array<number> = [], sinkLasts: Array<number> = []
  const sleep = (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms))
  for (let i = 0; i < 8; i++) {
    let t0 = performance.now()
    let first = -1
    await Promise.all([5, 50, 500].map((ms) => sleep(ms).then(() => { if (first < 0) first = performance.now() - t0 })))
    floorFirst.push(first)
    floorLast.push(performance.now() - t0)
    t0 = performance.now()
    let firstE = -1
    await runtime.runPromise(Effect.flatMap(Engine.Engine, (e) =>
      Effect.flatMap(e.runStreaming(fanOut, { text: "a" }), (s) =>
        Stream.runForEach(s, () => Effect.sync(() => { if (firstE < 0) firstE = performance.now() - t0 })))))
    firsts.push(firstE)
    lasts.push(performance.now() - t0)
    t0 = performance.now()
    let firstS = -1
    const writer = {
      write: () => {
        if (firstS < 0) firstS = performance.now() - t0
      },
      hasRoom: () => true,
      onRoom: () => () => {}
    }
    await runtime.runPromise(Effect.flatMap(Engine.Engine, (e) =>
      Effect.flatMap(e.prepare(fanOut, { text: "a" }), (execution) => {
        execution.log.read(writer, { holdsExecution: true })
        return execution.run
      })))
    sinkFirsts.push(firstS)
    sinkLasts.push(performance.now() - t0)
  }
  const fan = table(["fan-out (5/50/500 ms), median of 8", "first output ms", "last output ms"], [
    ["Promise floor (timers)", median(floorFirst), median(floorLast)],
    ["engine, runStreaming (a Stream)", median(firsts), median(lasts)],
    ["engine, prepare + a log writer", median(sinkFirsts), median(sinkLasts)],
    ["difference, Stream", median(firsts) - median(floorFirst), median(lasts) - median(floorLast)],
    ["difference, log writer", median(sinkFirsts) - median(floorFirst), median(sinkLasts) - median(floorLast)]
  ])
  await runtime.dispose()
  return `### Runtime\n\n${perModule}\n\n${cacheTable}\n\n${fan}\n`
}

if (isMain(import.meta.url)) main().then((s) => console.log(s))
