/**
 * Child of bench/backToBack.ts, bundled per tree: one workload (`MODE`
 * batch | stream, `KIND` sync | make; or `MODE` graphql: the same 1,000
 * fields through graphql-js 17's `execute`, the peer), 1,000 independent modules, run 1,000
 * times back to back after a warm-up. Prints one JSON line: wall and CPU
 * time per run, and V8's minor and major collection pauses per run, all
 * in milliseconds, every collection included.
 */
import { PerformanceObserver } from "node:perf_hooks"
import { constants } from "node:perf_hooks"
import { Effect, Either, Layer, ManagedRuntime, Schema, Stream } from "effect"
import { execute, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from "graphql"
import { compile } from "../src/lang/compileSource.js"
import * as Module from "../src/modules/Module.js"
import { makeRegistry, ModuleRegistry } from "../src/modules/ModuleRegistry.js"
import * as Engine from "../src/runtime/Engine.js"
import * as Scheduler from "../src/runtime/Scheduler.js"

const WIDTH = 1000
const RUNS = Number(process.env["RUNS"] ?? 1000)
const kind = process.env["KIND"] === "make" ? "make" : "sync"
const mode = process.env["MODE"] === "stream" ? "stream" : process.env["MODE"] === "graphql" ? "graphql" : "batch"

const modules = Array.from({ length: WIDTH }, (_, i) => {
  const spec = { name: `M_w${i}`, description: `w${i}`, params: { seed: Schema.String }, result: Schema.String }
  return kind === "sync"
    ? Module.sync({ ...spec, run: ({ seed }) => `${seed}-${i}`.toUpperCase() })
    : Module.make({ ...spec, run: ({ seed }) => Effect.sync(() => `${seed}-${i}`.toUpperCase()) })
})
const registry = makeRegistry(modules)
const source = ["in seed: String", ...modules.map((_, i) => `w${i} = M_w${i}(seed)`), ...modules.map((_, i) => `out w${i}`)]
const compiled = compile(source.join("\n"), registry)
if (Either.isLeft(compiled)) throw new Error("bench/backToBackChild: the workload does not compile")
const pipeline = compiled.right
const runtime = ManagedRuntime.make(Engine.layer.pipe(
  Layer.provideMerge(Layer.merge(Layer.succeed(ModuleRegistry, registry), Scheduler.layerWith(100_000)))
))
const inputs = { seed: "abc" }
const program = Effect.flatMap(Engine.Engine, (engine) =>
  mode === "batch"
    ? Effect.asVoid(engine.run(pipeline, inputs))
    : Effect.flatMap(engine.runStreaming(pipeline, inputs), (events) => Stream.runDrain(events)))
const fields = Object.fromEntries(modules.map((_, i) => [`w${i}`, { type: GraphQLString, resolve: (root: { seed: string }) => `${root.seed}-${i}`.toUpperCase() }]))
const schema = new GraphQLSchema({ query: new GraphQLObjectType({ name: "Query", fields }) })
const document = parse(`{ ${modules.map((_, i) => `w${i}`).join(" ")} }`)
const once = mode === "graphql"
  ? () => Promise.resolve(execute({ schema, document, rootValue: inputs }))
  : () => runtime.runPromise(program)

for (let i = 0; i < 200; i++) await once()
let minor = 0, major = 0
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const k = (e as unknown as { readonly detail?: { readonly kind?: number } }).detail?.kind
    if (k === constants.NODE_PERFORMANCE_GC_MINOR) minor += e.duration
    else major += e.duration
  }
})
observer.observe({ entryTypes: ["gc"] })
const t0 = performance.now()
const c0 = process.cpuUsage()
for (let i = 0; i < RUNS; i++) await once()
const cpu = process.cpuUsage(c0)
const wall = performance.now() - t0
// The observer is told of collections after the fact: one turn of the loop for the last ones.
await new Promise((resolve) => setTimeout(resolve, 10))
observer.disconnect()
console.log(JSON.stringify({ wall: wall / RUNS, cpu: (cpu.user + cpu.system) / 1000 / RUNS, minor: minor / RUNS, major: major / RUNS }))
await runtime.dispose()
