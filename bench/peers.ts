/**
 * bench/peers: the engine beside graphql-js 17 (the in-process system a
 * user would pick instead: one field per module, `@defer` per output to
 * stream, `execute` for a batch) and the hand-written Promise floor, in the
 * same process run, rounds alternating, each figure the median of its
 * rounds and a ratio to graphql-js.
 *
 * Workloads (as in ../shared/bench-peers, W1 and W2): the fan-out (three
 * outputs after 5, 50 and 500 ms of real timers: time to the first), and
 * 1,000 independent trivial modules (`(seed + i).toUpperCase()`), streamed
 * and batch. The engine three times: modules as `Module.sync` functions
 * and as `Module.make` effects (`Effect.sync`, or `Effect.sleep` then the
 * value), what a user writes, read through `runStreaming`; and the
 * `Module.make` ones started with `start` and read through `events()`, and
 * prepared and read through their log with plain callbacks.
 * The fan-out also runs on a hand-written Effect floor (no engine): the
 * least any Effect stream read with `Stream.runForEach` costs.
 *
 * Run: node --expose-gc scripts/bench.mjs bench/peers.ts (compiled, as users run it: see scripts/bench.mjs)
 */
import { performance } from "node:perf_hooks"
import { Effect, Either, Layer, ManagedRuntime, Schema, Stream } from "effect"
import type { ExecutionResult } from "graphql"
import {
  execute,
  experimentalExecuteIncrementally,
  GraphQLDeferDirective,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  parse,
  specifiedDirectives
} from "graphql"
import type { CompiledPipeline } from "../src/lang/CompiledPipeline.js"
import { compile } from "../src/lang/compileSource.js"
import * as Module from "../src/modules/Module.js"
import { makeRegistry, ModuleRegistry } from "../src/modules/ModuleRegistry.js"
import * as Engine from "../src/runtime/Engine.js"
import type { ExecutionEvent } from "../src/runtime/ExecutionEvent.js"
import type { LogWriter } from "../src/runtime/ExecutionLog.js"
import * as Scheduler from "../src/runtime/Scheduler.js"
import { fmt, isMain, median, table } from "./support.js"

/** One module of a workload: its id, its delay (real timer) and its value from the seed. */
interface Mod { readonly id: string; readonly delayMs: number; readonly fn: (seed: string) => string }
interface Workload { readonly name: string; readonly modules: ReadonlyArray<Mod> }

const fanOut: Workload = {
  name: "fan-out",
  modules: [5, 50, 500].map((ms) => ({ id: `p${ms}`, delayMs: ms, fn: (s: string) => `p${ms}:${s}` }))
}
const wide: Workload = {
  name: "wide",
  modules: Array.from({ length: 1000 }, (_, i) => ({ id: `w${i}`, delayMs: 0, fn: (s: string) => `${s}-${i}`.toUpperCase() }))
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A system under test: streams a workload (calling `emit` per output) or runs it as a batch. */
interface Peer {
  readonly name: string
  readonly stream: (emit: (id: string) => void) => Promise<void>
  readonly batch: () => Promise<unknown>
}

const promiseFloor = (w: Workload): Peer => {
  const run = (emit: (id: string) => void) =>
    Promise.all(w.modules.map(async (m) => {
      if (m.delayMs > 0) await sleep(m.delayMs)
      const v = m.fn("abc")
      emit(m.id)
      return v
    }))
  return { name: "Promise floor", stream: (emit) => run(emit).then(() => undefined), batch: () => run(() => {}) }
}

const graphql = (w: Workload): Peer => {
  const Any = new GraphQLScalarType({ name: "Any", serialize: (v) => v })
  const fields = Object.fromEntries(w.modules.map((m) => [m.id, {
    type: Any,
    resolve: (root: { seed: string }) => m.delayMs > 0 ? sleep(m.delayMs).then(() => m.fn(root.seed)) : m.fn(root.seed)
  }]))
  const query = new GraphQLObjectType({ name: "Query", fields })
  const deferSchema = new GraphQLSchema({ query, directives: [...specifiedDirectives, GraphQLDeferDirective] })
  const plainSchema = new GraphQLSchema({ query })
  const streamDoc = parse(`{ ${w.modules.map((m) => `... @defer { ${m.id} }`).join(" ")} }`)
  const batchDoc = parse(`{ ${w.modules.map((m) => m.id).join(" ")} }`)
  const rootValue = { seed: "abc" }
  const emitAll = (data: ExecutionResult["data"], emit: (id: string) => void) => {
    if (data) for (const id of Object.keys(data)) emit(id)
  }
  return {
    name: "graphql-js 17 (@defer / execute)",
    stream: async (emit) => {
      const r = await experimentalExecuteIncrementally({ schema: deferSchema, document: streamDoc, rootValue })
      if (!("initialResult" in r)) return emitAll(r.data, emit)
      emitAll(r.initialResult.data, emit)
      for await (const payload of r.subsequentResults) for (const inc of payload.incremental ?? []) if ("data" in inc) emitAll(inc.data, emit)
    },
    batch: () => Promise.resolve(execute({ schema: plainSchema, document: batchDoc, rootValue }))
  }
}

/**
 * The floor for any Effect program that streams: each module an Effect
 * (the value, after `Effect.sleep` for a delayed one), the outputs merged
 * into one `Stream` with unbounded concurrency and read with
 * `Stream.runForEach`, as a user of Effect would write it by hand; batch,
 * `Effect.forEach` with unbounded concurrency. No engine: what Effect's
 * fibers and stream machinery cost alone.
 */
const effectFloor = (w: Workload): Peer => {
  const effects = w.modules.map((m) =>
    m.delayMs > 0 ? Effect.as(Effect.sleep(m.delayMs), m) : Effect.sync(() => m)
  )
  const value = (m: Mod) => m.fn("abc")
  return {
    name: "Effect floor (Stream.mergeAll, by hand)",
    stream: (emit) =>
      Effect.runPromise(Stream.runForEach(
        Stream.mergeAll(effects.map((e) => Stream.fromEffect(e)), { concurrency: "unbounded" }),
        (m) => Effect.sync(() => {
          value(m)
          emit(m.id)
        })
      )),
    batch: () => Effect.runPromise(Effect.forEach(effects, (e) => Effect.map(e, value), { concurrency: "unbounded" }))
  }
}

/**
 * `via`: how the stream is read. `runStreaming` starts the execution when the
 * stream is consumed (after Effect's stream machinery has set up the
 * consumer); `start` starts it at once in the caller's scope, and
 * `events()` reads it (docs/library.md, "The first output sooner");
 * `log` prepares it, reads its log with a `LogWriter` of plain callbacks
 * (no Effect `Stream`: how the HTTP service reads it) and runs it
 * (docs/library.md, "Two steps: prepare, read the log, run").
 */
type Via = "runStreaming" | "start" | "log"
const viaLabel: Record<Via, string> = { runStreaming: "", start: ", start + events()", log: ", prepare + log.read" }

const constellation = (w: Workload, kind: "sync" | "make", via: Via = "runStreaming"): Peer => {
  const modules = w.modules.map((m) => {
    const name = `${kind === "sync" ? "S" : "M"}_${w.name.replace("-", "_")}_${m.id}`
    const spec = { name, description: m.id, params: { seed: Schema.String }, result: Schema.String }
    return kind === "sync" && m.delayMs === 0
      ? Module.sync({ ...spec, run: ({ seed }) => m.fn(seed) })
      : Module.make({
        ...spec,
        run: ({ seed }) => m.delayMs > 0 ? Effect.as(Effect.sleep(m.delayMs), m.fn(seed)) : Effect.sync(() => m.fn(seed))
      })
  })
  const registry = makeRegistry(modules)
  const runtime = ManagedRuntime.make(Engine.layer.pipe(
    Layer.provideMerge(Layer.merge(Layer.succeed(ModuleRegistry, registry), Scheduler.layerWith(100_000)))
  ))
  const source = ["in seed: String", ...w.modules.map((m, i) => `${m.id} = ${modules[i]!.name}(seed)`), ...w.modules.map((m) => `out ${m.id}`)]
  const compiled = compile(source.join("\n"), registry)
  if (Either.isLeft(compiled)) throw new Error("bench/peers: the workload does not compile")
  const pipeline: CompiledPipeline = compiled.right
  const inputs = { seed: "abc" }
  const each = (e: ExecutionEvent, emit: (id: string) => void) => Effect.sync(() => e._tag === "Output" && emit(e.name))
  const writer = (emit: (id: string) => void): LogWriter => ({
    write: (e) => e._tag === "Output" && emit(e.name),
    hasRoom: () => true,
    onRoom: () => () => {}
  })
  return {
    name: `Constellation, ${kind === "sync" ? "Module.sync" : "Module.make (Effect.sync)"}${viaLabel[via]}`,
    stream: (emit) =>
      runtime.runPromise(Effect.flatMap(Engine.Engine, (engine) =>
        via === "start"
          ? Effect.scoped(Effect.flatMap(engine.start(pipeline, inputs), (run) => Stream.runForEach(run.events(), (e) => each(e, emit))))
          : via === "log"
          ? Effect.flatMap(engine.prepare(pipeline, inputs), (execution) => {
            execution.log.read(writer(emit), { holdsExecution: true })
            return execution.run
          })
          : Effect.flatMap(engine.runStreaming(pipeline, inputs), (events) => Stream.runForEach(events, (e) => each(e, emit))))),
    batch: () => runtime.runPromise(Effect.flatMap(Engine.Engine, (engine) => engine.run(pipeline, inputs)))
  }
}

/** Per peer: the medians of `rounds` rounds, peers alternating within each round. */
const measure = async (peers: ReadonlyArray<Peer>, rounds: number, repsPerRound: number, one: (p: Peer) => Promise<number>) => {
  const samples = peers.map(() => [] as Array<number>)
  for (let r = 0; r < rounds; r++) {
    // Alternate the order, so neither side always runs on a warmer or colder machine.
    const order = r % 2 === 0 ? peers.map((_, i) => i) : peers.map((_, i) => peers.length - 1 - i)
    for (const i of order) for (let k = 0; k < repsPerRound; k++) samples[i]!.push(await one(peers[i]!))
  }
  return samples.map(median)
}

const firstOutput = async (p: Peer): Promise<number> => {
  const t0 = performance.now()
  let first = -1
  await p.stream(() => {
    if (first < 0) first = performance.now() - t0
  })
  return first
}

const allOf = (mode: "stream" | "batch") => async (p: Peer): Promise<number> => {
  const t0 = performance.now()
  if (mode === "stream") await p.stream(() => {})
  else await p.batch()
  return performance.now() - t0
}

export const main = async (): Promise<string> => {
  const enginesOf = (w: Workload) => [constellation(w, "sync"), constellation(w, "make"), constellation(w, "make", "start"), constellation(w, "make", "log")]
  // The Effect floor in the fan-out only: at 1,000 outputs it is 30-70x behind, and its garbage
  // (1,000 fibers a run) would weigh on the peers measured after it.
  const fan = [promiseFloor(fanOut), graphql(fanOut), effectFloor(fanOut), ...enginesOf(fanOut)]
  const wid = [promiseFloor(wide), graphql(wide), ...enginesOf(wide)]
  // Warm-up: every peer, every mode.
  for (const p of wid) for (let i = 0; i < 30; i++) await Promise.all([p.stream(() => {}), p.batch()])
  for (const p of fan) await firstOutput(p)
  const first = await measure(fan, 4, 3, firstOutput)
  const streamed = await measure(wid, 10, 10, allOf("stream"))
  const batch = await measure(wid, 10, 10, allOf("batch"))
  const gq = 1
  const ratio = (xs: ReadonlyArray<number>, i: number) => `${(xs[i]! / xs[gq]!).toFixed(2)}x`
  /** The wide workload's cells of the fan-out's peer `name`, or dashes where it is not measured. */
  const wideCells = (name: string) => {
    const i = wid.findIndex((p) => p.name === name)
    return i < 0 ? ["—", "", "—", ""] : [fmt(streamed[i]!), ratio(streamed, i), fmt(batch[i]!), ratio(batch, i)]
  }
  return [
    "### bench/peers: beside graphql-js 17, in process\n",
    "Medians over rounds alternating the peers; ratios to graphql-js in the same run (below 1 is ahead).\n",
    table(
      ["system", "fan-out: first output, ms", "ratio", "1,000 outputs streamed, ms", "ratio", "1,000 outputs batch, ms", "ratio"],
      fan.map((p, i) => [p.name, fmt(first[i]!), ratio(first, i), ...wideCells(p.name)])
    )
  ].join("\n")
}

if (isMain(import.meta.url)) main().then((s) => console.log(s)).then(() => process.exit())
