/**
 * bench/compare: this tree's engine against another checkout's (the tree
 * before a change), in the same run: `npx tsx bench/compare.ts <dir>` (or
 * `BASELINE=<dir>`), with `<dir>` a checkout that has its dependencies
 * (`git worktree add ../base <rev>` and a link to node_modules). Every
 * phase alternates between the two, so drifting load hits both alike; each
 * figure is a median, and the table gives after/before.
 *
 * - HTTP (both servers from esbuild bundles, as `npm start` runs them):
 *   sequential time to the first output of the fan-out over SSE; 100 and
 *   1,000 fan-out streams at once (server CPU per stream, first p50);
 *   batch executions per second of a one-module pipeline.
 * - In process: µs per module of the runtime's workloads (1,000 pure
 *   modules, wide, chain and layered; batch and stream).
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { performance } from "node:perf_hooks"
import { pathToFileURL } from "node:url"
import { Effect, Either, Layer, ManagedRuntime, Schema, Stream } from "effect"
import { concurrent, throughput } from "./http.js"
import { makeAgent, stream } from "./httpClient.js"
import { startServer } from "./httpProcess.js"
import type { ServerProcess } from "./httpProcess.js"
import { fmt, isMain, median, table } from "./support.js"

const baselineDir = resolve(process.argv[2] ?? process.env["BASELINE"] ?? "")
const FAN_OUT = readFileSync(new URL("../examples/fan-out.cst", import.meta.url), "utf8")
const UPPER = "in text: String\nupper = Uppercase(text)\nout upper"
const ROUNDS = 5
/** In-process runs of each workload per tree, alternating. */
const RUNTIME_RUNS = 200

const importFrom = (root: string, path: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(root, path)).href)

interface Pair { readonly label: string; readonly before: number; readonly after: number; readonly better: "lower" | "higher" }

const row = ({ label, before, after, better }: Pair) => {
  const r = after / before
  const worse = better === "lower" ? r - 1 : 1 - r
  return [label, fmt(before), fmt(after), `${r.toFixed(3)}x`, worse > 0.05 ? "**worse by more than 5%**" : worse > 0 ? "within 5%" : "better"]
}

const ref = async (server: ServerProcess, source: string): Promise<Buffer> => {
  const r = await fetch(`${server.url}/compile`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ source }) })
  const { ref } = (await r.json()) as { ref: string }
  return Buffer.from(JSON.stringify({ ref, inputs: source === UPPER ? { text: "hello benchmark world" } : { query: "a b c" } }))
}

const http = async (): Promise<Array<Pair>> => {
  const baseline = (await importFrom(baselineDir, "bench/httpProcess.ts")) as { startServer: typeof startServer }
  const env = { MAX_CONCURRENT_EXECUTIONS: "5000" }
  const servers = await Promise.all([
    baseline.startServer("./httpEngine.ts", env, { bundle: true }),
    startServer("./httpEngine.ts", env, { bundle: true })
  ])
  try {
    const [before, after] = servers as [ServerProcess, ServerProcess]
    const fan = [await ref(before, FAN_OUT), await ref(after, FAN_OUT)] as const
    const upper = [await ref(before, UPPER), await ref(after, UPPER)] as const
    const both = [before, after] as const
    const pairs: Array<Pair> = []

    // `COMPARE=batch`: only the batch loop, twice each (a quick recheck of the noisiest figure).
    if (process.env["COMPARE"] === "batch") {
      const ps: [Array<number>, Array<number>] = [[], []]
      for (let i = 0; i < 2; i++) for (const k of [0, 1] as const) ps[k].push((await throughput(both[k], upper[k])).cpuUsPerRequest)
      return [{ label: "batch: server CPU per request (µs)", before: median(ps[0]), after: median(ps[1]), better: "lower" }]
    }
    const agent = makeAgent(1)
    const firsts: [Array<number>, Array<number>] = [[], []]
    for (let i = 0; i < 60; i++) {
      for (const k of [0, 1] as const) {
        const t = await stream(agent, `${both[k].url}/execute/stream`, fan[k], 2)
        if (i >= 10) firsts[k].push(t.first)
      }
    }
    agent.destroy()
    pairs.push({ label: "sequential first output, SSE (ms)", before: median(firsts[0]), after: median(firsts[1]), better: "lower" })

    for (const n of [100, 1_000]) {
      for (const k of [0, 1] as const) await concurrent(both[k], fan[k], Math.min(n, 200))
      const cpu: [Array<number>, Array<number>] = [[], []], first: [Array<number>, Array<number>] = [[], []]
      for (let i = 0; i < ROUNDS; i++) {
        for (const k of [0, 1] as const) {
          const c = await concurrent(both[k], fan[k], n)
          if (c.completed !== n) throw new Error(`${n} streams: ${c.completed} completed`)
          cpu[k].push(c.cpuPerStream)
          first[k].push(c.firstP50)
        }
      }
      pairs.push({ label: `${n} streams at once: server CPU per stream (ms)`, before: median(cpu[0]), after: median(cpu[1]), better: "lower" })
      pairs.push({ label: `${n} streams at once: first output p50 (ms)`, before: median(first[0]), after: median(first[1]), better: "lower" })
    }

    const perSecond: [Array<number>, Array<number>] = [[], []], cpuPer: [Array<number>, Array<number>] = [[], []]
    for (let i = 0; i < ROUNDS; i++) {
      for (const k of [0, 1] as const) {
        const t = await throughput(both[k], upper[k])
        perSecond[k].push(t.perSecond)
        cpuPer[k].push(t.cpuUsPerRequest)
      }
    }
    pairs.push({ label: "batch executions/s (32 clients)", before: median(perSecond[0]), after: median(perSecond[1]), better: "higher" })
    pairs.push({ label: "batch: server CPU per request (µs)", before: median(cpuPer[0]), after: median(cpuPer[1]), better: "lower" })
    return pairs
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
}

/** The runtime of a tree: compile and run a source as a batch or a stream, with two pure modules of its own. */
const runtimeOf = async (root: string) => {
  const { compile } = await importFrom(root, "src/lang/compileSource.ts") as { compile: (s: string, r: unknown) => Either.Either<unknown, Error> }
  const Module = await importFrom(root, "src/modules/Module.ts") as { sync: (d: unknown) => unknown }
  const { makeRegistry, ModuleRegistry } = await importFrom(root, "src/modules/ModuleRegistry.ts") as {
    makeRegistry: (ms: ReadonlyArray<unknown>) => unknown
    ModuleRegistry: never
  }
  const { makeStdlib } = await importFrom(root, "src/modules/stdlib/index.ts") as { makeStdlib: () => ReadonlyArray<unknown> }
  const Engine = await importFrom(root, "src/runtime/Engine.ts") as { layer: Layer.Layer<never, never, never>; Engine: never }
  const Scheduler = await importFrom(root, "src/runtime/Scheduler.ts") as { layerWith: (n: number) => Layer.Layer<never> }
  const Inc = Module.sync({ name: "Inc", description: "n + 1", params: { n: Schema.Int }, result: Schema.Int, run: ({ n }: { n: number }) => n + 1 })
  const Add = Module.sync({ name: "Add", description: "a + b", params: { a: Schema.Int, b: Schema.Int }, result: Schema.Int, run: ({ a, b }: { a: number; b: number }) => a + b })
  const registry = makeRegistry([...makeStdlib(), Inc, Add])
  const runtime = ManagedRuntime.make(Engine.layer.pipe(
    Layer.provideMerge(Scheduler.layerWith(1_000_000)),
    Layer.provideMerge(Layer.succeed(ModuleRegistry, registry as never))
  ))
  type EngineLike = { run: (p: unknown, i: unknown) => Effect.Effect<unknown>; runStreaming: (p: unknown, i: unknown) => Effect.Effect<Stream.Stream<unknown>> }
  const withEngine = <A>(f: (e: EngineLike) => Effect.Effect<A>) => runtime.runPromise(Effect.flatMap(Engine.Engine as never as Effect.Effect<EngineLike>, f))
  return {
    compile: (source: string) => Either.getOrThrow(compile(source, registry)),
    batch: (p: unknown) => withEngine((e) => e.run(p, { x: 1 })),
    stream: (p: unknown) => withEngine((e) => Effect.flatMap(e.runStreaming(p, { x: 1 }), Stream.runDrain)),
    dispose: () => runtime.dispose()
  }
}

const shapes: ReadonlyArray<readonly [string, (i: number) => string]> = process.env["COMPARE_SHAPE"] === "one" ? [["one module", (i) => `n${i} = Inc(x)`]] : [
  ["wide 1,000", (i) => `n${i} = Inc(x)`],
  ["chain 1,000", (i) => `n${i} = Inc(${i === 0 ? "x" : `n${i - 1}`})`],
  ["10 layers of 100", (i) => (i < 100 ? `n${i} = Inc(x)` : `n${i} = Add(n${i - 100}, n${i - 100 + ((i + 1) % 100 === 0 ? -99 : 1)})`)]
]
const sourceOf = (line: (i: number) => string, outputs: ReadonlyArray<number>, n = 1000) =>
  ["in x: Int", ...Array.from({ length: n }, (_, i) => line(i)), ...outputs.map((o) => `out n${o}`)].join("\n")

const inProcess = async (): Promise<Array<Pair>> => {
  const trees = [await runtimeOf(baselineDir), await runtimeOf(resolve("."))] as const
  const pairs: Array<Pair> = []
  for (const [label, line] of shapes) {
    const outputs = label === "one module" ? [0] : label.startsWith("wide") ? Array.from({ length: 1000 }, (_, i) => i) : label.startsWith("chain") ? [999] : Array.from({ length: 100 }, (_, i) => 900 + i)
    const source = sourceOf(line, outputs, label === "one module" ? 1 : 1000)
    const pipelines = trees.map((t) => t.compile(source))
    for (const mode of ["batch", "stream"] as const) {
      // One run of each tree in turn, many times: drifting load hits both alike.
      const us: [Array<number>, Array<number>] = [[], []]
      for (let i = 0; i < 20; i++) for (const k of [0, 1] as const) await trees[k][mode](pipelines[k])
      for (let i = 0; i < RUNTIME_RUNS; i++) {
        for (const k of (i % 2 === 0 ? [0, 1] : [1, 0]) as ReadonlyArray<0 | 1>) {
          const t0 = performance.now()
          await trees[k][mode](pipelines[k])
          us[k].push((performance.now() - t0) * 1000 / 1000)
        }
      }
      pairs.push({ label: `${label}, pure modules, ${mode} (µs/module)`, before: median(us[0]), after: median(us[1]), better: "lower" })
    }
  }
  await Promise.all(trees.map((t) => t.dispose()))
  return pairs
}

export const main = async (): Promise<string> => {
  if (baselineDir === resolve("")) throw new Error("give the baseline checkout: npx tsx bench/compare.ts <dir>")
  const started = performance.now()
  // `COMPARE=runtime` or `COMPARE=http` runs one half (`COMPARE=batch`: the HTTP batch loop alone).
  const only = process.env["COMPARE"]
  const pairs = [...(only === "http" || only === "batch" ? [] : await inProcess()), ...(only === "runtime" ? [] : await http())]
  return `### Before and after (bench/compare.ts, ${((performance.now() - started) / 1000).toFixed(0)} s)\n\n` +
    table(["measure", "before", "after", "after/before", "verdict"], pairs.map(row)) + "\n"
}

if (isMain(import.meta.url)) main().then((s) => console.log(s), (e) => {
  console.error(e)
  process.exit(1)
}).then(() => process.exit())
