// The engine as ../shared/bench-peers's in-process peer, loaded as users load it: the compiled package
// (dist/, `npm run build` first) under plain Node, not the TypeScript sources through tsx (whose
// `keepNames` wraps every closure the engine creates: see scripts/bench.mjs). Otherwise the same as the
// harness's adapters-project/constellation.ts: PROJECT=<checkout>, KIND=make (Module.make with an Effect,
// the default) or sync (Module.sync); `?kind=sync` in the URL selects sync too (constellation-built-sync.mjs);
// `?via=start` streams through engine.start + events() (constellation-built-start.mjs).
//
//   PROJECT=/path/to/checkout npx tsx run.mjs --add /path/to/checkout/bench/peerAdapters/constellation-built.mjs \
//     --add /path/to/checkout/bench/peerAdapters/constellation-built-sync.mjs --peers floor-promise,graphql-defer,constellation-built-make,constellation-built-sync
import { existsSync } from "node:fs"

const root = process.env.PROJECT || (() => { throw new Error("set PROJECT to the project checkout (its node_modules installed)") })()
if (!existsSync(`${root}/dist/index.js`)) throw new Error(`no ${root}/dist: run npm run build there first`)
const { Effect, Layer, ManagedRuntime, Schema, Stream } = await import(`${root}/node_modules/effect/dist/esm/index.js`)
const kind = import.meta.url.includes("kind=sync") ? "sync" : (process.env.KIND ?? "make")
// `?via=start`: streams through engine.start + events() (the execution starts before the reader is set up).
const viaStart = import.meta.url.includes("via=start")
const M = await import(`${root}/dist/modules/Module.js`)
const { compile } = await import(`${root}/dist/lang/compileSource.js`)
const { makeRegistry, ModuleRegistry } = await import(`${root}/dist/modules/ModuleRegistry.js`)
const { makeStdlib } = await import(`${root}/dist/modules/stdlib/index.js`)
const Engine = await import(`${root}/dist/runtime/Engine.js`)
const Scheduler = await import(`${root}/dist/runtime/Scheduler.js`)

const defs = []
const registered = new Set()
let valueSchema
let workload = ""
/** One registry module per workload module (its own fn and delay), named after its id. */
const defineFor = (m) => {
  const name = `M_${workload}_${m.id}`
  if (registered.has(name)) return name
  registered.add(name)
  const params = {}
  m.deps.forEach((_, i) => (params[`a${i}`] = valueSchema))
  const call = (p) => m.fn(...m.deps.map((_, i) => p[`a${i}`]))
  defs.push(kind === "sync" && !(m.delayMs > 0)
    ? M.sync({ name, description: m.id, params, result: valueSchema, run: call })
    : M.make({
      name, description: m.id, params, result: valueSchema,
      run: (p) => m.delayMs > 0 ? Effect.zipRight(Effect.sleep(m.delayMs), Effect.sync(() => call(p))) : Effect.sync(() => call(p))
    }))
  return name
}

let runtime
const ensureRuntime = () => {
  if (runtime) return runtime
  const registry = Layer.succeed(ModuleRegistry, makeRegistry([...makeStdlib(), ...defs]))
  runtime = ManagedRuntime.make(Engine.layer.pipe(Layer.provideMerge(Layer.merge(registry, Scheduler.layerWith(100_000)))))
  return runtime
}

const typeOf = (v) => typeof v === "number" ? (Number.isInteger(v) ? "Int" : "Float") : "String"

export default {
  name: `constellation-built-${kind}${viaStart ? "-start" : ""}`,
  version: "project HEAD (dist)",
  prepare: (w) => {
    workload = w.key
    valueSchema = Object.values(w.inputs).every((v) => typeof v === "number") ? Schema.Int : Schema.String
    const names = w.modules.map(defineFor)
    runtime = undefined // the registry grows with each workload's modules
    const lines = Object.entries(w.inputs).map(([k, v]) => `in ${k}: ${typeOf(v)}`)
    w.modules.forEach((m, i) => lines.push(`${m.id} = ${names[i]}(${m.deps.join(", ")})`))
    for (const o of w.outputs) lines.push(`out ${o}`)
    const reg = ensureRuntime().runSync(ModuleRegistry)
    const r = compile(lines.join("\n"), reg)
    if (r._tag === "Left") throw new Error(JSON.stringify(r.left.diagnostics?.slice(0, 3)))
    return { w, pipeline: r.right }
  },
  stream: async (p, emit) => {
    const each = (ev) => Effect.sync(() => { if (ev._tag === "Output") emit(ev.name, ev.value) })
    await ensureRuntime().runPromise(Effect.flatMap(Engine.Engine, (e) =>
      viaStart
        ? Effect.scoped(Effect.flatMap(e.start(p.pipeline, p.w.inputs), (running) => Stream.runForEach(running.events(), each)))
        : Effect.flatMap(e.runStreaming(p.pipeline, p.w.inputs), (s) => Stream.runForEach(s, each))))
  },
  batch: async (p) => {
    const r = await ensureRuntime().runPromise(Effect.flatMap(Engine.Engine, (e) => e.run(p.pipeline, p.w.inputs)))
    return r.outputs
  }
}
