/**
 * bench/batchAllocs: what one in-process batch run (`engine.run`) of 1,000
 * independent modules allocates, and its median time. Allocations are
 * counted by V8's sampling heap profiler (including what minor and major
 * collections freed), which other load on the machine does not disturb;
 * times are given for orientation only.
 *
 * Two registries: 1,000 `Module.sync` modules, and the same as
 * `Module.make` + `Effect.sync`. `TOP=n` lists the n allocation sites that
 * allocate most (bundle the script with esbuild for real line numbers:
 * `npx esbuild bench/batchAllocs.ts --bundle --platform=node --format=esm
 * --outfile=/tmp/batchAllocs.mjs && node /tmp/batchAllocs.mjs`).
 *
 * Run: npx tsx bench/batchAllocs.ts
 */
import { Session } from "node:inspector"
import { performance } from "node:perf_hooks"
import { Effect, Either, Layer, ManagedRuntime, Schema } from "effect"
import { compile } from "../src/lang/compileSource.js"
import * as Module from "../src/modules/Module.js"
import { makeRegistry, ModuleRegistry } from "../src/modules/ModuleRegistry.js"
import * as Engine from "../src/runtime/Engine.js"
import * as Scheduler from "../src/runtime/Scheduler.js"
import { fmt, isMain, median, table } from "./support.js"

const WIDTH = 1000
const WARMUP = 300
const RUNS = 200

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number }
  readonly selfSize: number
  readonly children: ReadonlyArray<ProfileNode>
}

const post = <T>(session: Session, method: string, params?: object): Promise<T> =>
  new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))))

/** Bytes allocated by `runs` calls of `f`, and the allocation sites, by self size. */
const allocations = async (f: () => Promise<unknown>, runs: number) => {
  const session = new Session()
  session.connect()
  await post(session, "HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMinorGC: true,
    includeObjectsCollectedByMajorGC: true
  })
  for (let i = 0; i < runs; i++) await f()
  const { profile } = await post<{ profile: { head: ProfileNode } }>(session, "HeapProfiler.stopSampling")
  session.disconnect()
  const sites = new Map<string, number>()
  let total = 0
  const name = (n: ProfileNode) => {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame
    return url === "" ? functionName : `${functionName || "(anonymous)"} ${url.replace(/^.*\//, "")}:${lineNumber + 1}:${columnNumber + 1}`
  }
  // A builtin (no url: Array.prototype.push, Set.prototype.add) is named with its caller.
  const walk = (n: ProfileNode, parent: string) => {
    total += n.selfSize
    const own = name(n)
    const key = n.callFrame.url === "" ? `${own} <- ${parent}` : own
    if (n.selfSize > 0) sites.set(key, (sites.get(key) ?? 0) + n.selfSize)
    for (const c of n.children) walk(c, own)
  }
  walk(profile.head, "")
  return { perRun: total / runs, sites: [...sites].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / runs] as const) }
}

const setup = (kind: "sync" | "make") => {
  const modules = Array.from({ length: WIDTH }, (_, i) => {
    const fn = (seed: string) => `${seed}-${i}`.toUpperCase()
    const spec = { name: `M_w${i}`, description: `w${i}`, params: { seed: Schema.String }, result: Schema.String }
    return kind === "sync"
      ? Module.sync({ ...spec, run: ({ seed }) => fn(seed) })
      : Module.make({ ...spec, run: ({ seed }) => Effect.sync(() => fn(seed)) })
  })
  const registry = makeRegistry(modules)
  const runtime = ManagedRuntime.make(Engine.layer.pipe(
    Layer.provideMerge(Layer.merge(Layer.succeed(ModuleRegistry, registry), Scheduler.layerWith(100_000)))
  ))
  const source = ["in seed: String"]
  for (let i = 0; i < WIDTH; i++) source.push(`w${i} = M_w${i}(seed)`)
  for (let i = 0; i < WIDTH; i++) source.push(`out w${i}`)
  const compiled = compile(source.join("\n"), registry)
  if (Either.isLeft(compiled)) throw new Error("bench/batchAllocs: the workload does not compile")
  const pipeline = compiled.right
  const inputs = { seed: "abc" }
  const program = Effect.flatMap(Engine.Engine, (engine) => engine.run(pipeline, inputs))
  return async () => {
    const r = await runtime.runPromise(program)
    if (r.status !== "completed") throw new Error(`bench/batchAllocs: a run ended ${r.status}`)
    return r
  }
}

export const main = async (): Promise<string> => {
  const top = Number(process.env["TOP"] ?? 0)
  const rows: Array<Array<string>> = []
  const details: Array<string> = []
  for (const kind of ["sync", "make"] as const) {
    const run = setup(kind)
    for (let i = 0; i < WARMUP; i++) await run()
    const { perRun, sites } = await allocations(run, RUNS)
    const times: Array<number> = []
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now()
      await run()
      times.push(performance.now() - t0)
    }
    rows.push([kind === "sync" ? "Module.sync" : "Module.make (Effect.sync)", fmt(perRun / 1024), fmt(perRun / WIDTH), fmt(median(times))])
    if (top > 0) details.push(`\n${kind}: top allocation sites (bytes per run)\n` + sites.slice(0, top).map(([k, v]) => `${v.toFixed(0).padStart(8)}  ${k}`).join("\n"))
  }
  return [
    `### bench/batchAllocs: one batch run of ${WIDTH} independent modules\n`,
    table(["modules", "KB allocated per run", "bytes per module", "median ms per run"], rows),
    ...details
  ].join("\n")
}

if (isMain(import.meta.url)) main().then((s) => console.log(s)).then(() => process.exit())
