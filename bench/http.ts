/**
 * bench/http: the HTTP service against a bare `node:http` server (the
 * floor of what Node can do), in the same run, with the same client.
 * Each server runs in a child process of its own; the client is this one.
 *
 * - Batch vs streaming: the fan-out pipeline (outputs at 5, 50 and 500 ms),
 *   sequential requests, time to the first output and to all outputs.
 * - Many clients at once: 100 and 1,000 streams started together; what
 *   completed, first and last output p50/p99, server CPU per stream.
 * - Framework overhead: batch executions per second of a one-module
 *   pipeline against a bare handler doing the same work.
 * - Beside the engine in each: the engine over WebSockets, the floor's
 *   endpoints served by `@effect/platform` with no engine
 *   (bench/httpPlatform.ts), the share no engine on the platform avoids,
 *   and GraphQL Yoga streaming the same fan-out with `@defer`
 *   (bench/httpYoga.ts), the peer issue 15 states its targets against.
 *   The targets table judges issue 15's targets on this run.
 * - And what serving the execute routes outside `@effect/platform` would
 *   give (issue 15's open decision): the engine's services behind a bare
 *   `node:http` server (bench/httpEngineBare.ts; not shipped).
 *
 * Run: npx tsx bench/http.ts (and bench/httpProfile.ts for where the engine's time goes).
 */
import { readFileSync } from "node:fs"
import { cpus } from "node:os"
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import type { Agent } from "node:http"
import { batch, closedLoop, json, makeAgent, openSocket, stream, together } from "./httpClient.js"
import type { Dialect, Timing } from "./httpClient.js"
import { startServer } from "./httpProcess.js"
import type { ServerProcess } from "./httpProcess.js"
import { fmt, isMain, median, percentile, table } from "./support.js"

const MAX_CONCURRENT_EXECUTIONS = 5_000
const SEQUENTIAL = 50
const WARMUP = 3
/** Before measuring: this many rounds of this many concurrent fan-out streams on each server. */
const WARMUP_ROUNDS = 3
const WARMUP_STREAMS = 200
/** Runs of each concurrency level, alternating floor and engine; each figure is their median. */
const LEVEL_RUNS = 3
const PHASE_CAP_MS = 60_000
const CLIENTS = 32
const LOOP_MS = 5_000

const FAN_OUT = readFileSync(new URL("../examples/fan-out.cst", import.meta.url), "utf8")
const UPPER = "in text: String\nupper = Uppercase(text)\nout upper"

/**
 * The floor, the engine, the platform alone (bench/httpPlatform.ts: the
 * floor's endpoints on `@effect/platform`, no engine), GraphQL Yoga, and
 * the engine's services on bare `node:http` (bench/httpEngineBare.ts).
 */
interface Servers {
  readonly floor: ServerProcess
  readonly engine: ServerProcess
  readonly platform: ServerProcess
  readonly yoga: ServerProcess
  readonly bare: ServerProcess
}

/** The bodies of the fan-out: the engine's and the floor's (`{ ref, inputs }`), the bare server's (its own ref), and Yoga's (a GraphQL query, each field deferred). */
interface FanOutBodies { readonly engine: Buffer; readonly bare: Buffer; readonly yoga: Buffer }

const yogaFanOut = (q: string): Buffer =>
  Buffer.from(JSON.stringify({
    query: "query FanOut($q: String!) { ... @defer { quick(q: $q) } ... @defer { medium(q: $q) } ... @defer { slow(q: $q) } }",
    variables: { q }
  }))

const compileRef = async (agent: Agent, engine: ServerProcess, source: string): Promise<string> => {
  const r = await json(agent, `${engine.url}/compile`, Buffer.from(JSON.stringify({ source })))
  if (r.status !== 200) throw new Error(`POST /compile answered ${r.status}: ${r.body}`)
  return (JSON.parse(r.body) as { ref: string }).ref
}

const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`
const verdict = (met: boolean): string => (met ? "met" : "**missed**")

/** Floor SSE, engine SSE and engine batch in turn, one request at a time: rounds interleave so drifting load hits all three alike. */
const sequential = async ({ floor, engine, platform, yoga, bare }: Servers, bodies: FanOutBodies) => {
  const body = bodies.engine
  const agent = makeAgent(1)
  const socket = await openSocket(`${engine.url.replace(/^http/, "ws")}/execute/ws`)
  const kinds: Array<[string, () => Promise<Timing>]> = [
    ["floor, `node:http` SSE", () => stream(agent, `${floor.url}/execute/stream`, body, 2)],
    ["engine, SSE `POST /execute/stream`", () => stream(agent, `${engine.url}/execute/stream`, body, 2)],
    ["engine, batch `POST /execute`", () => batch(agent, `${engine.url}/execute`, body, 3)],
    ["engine, WebSocket (one socket, open)", () => socket.run(body, 2)],
    ["platform only (no engine), SSE", () => stream(agent, `${platform.url}/execute/stream`, body, 2)],
    ["GraphQL Yoga, SSE `@defer`", () => stream(agent, `${yoga.url}/graphql`, bodies.yoga, 2, undefined, "graphql")],
    ["engine on bare `node:http` (not shipped), SSE", () => stream(agent, `${bare.url}/execute/stream`, bodies.bare, 2)]
  ]
  const runs = kinds.map((): Array<Timing> => [])
  const end = performance.now() + 2.5 * PHASE_CAP_MS
  for (let round = 0; round < WARMUP + SEQUENTIAL && performance.now() < end; round++) {
    for (const [i, [, run]] of kinds.entries()) {
      const t = await run()
      if (round >= WARMUP) runs[i]!.push(t)
    }
  }
  agent.destroy()
  socket.close()
  const rows = kinds.map(([label], i) => {
    const ok = runs[i]!.filter((t) => t.ok)
    return { label, n: runs[i]!.length, ok: ok.length, first: median(ok.map((t) => t.first)), last: median(ok.map((t) => t.last)) }
  })
  return { floor: rows[0]!, engine: rows[1]!, batch: rows[2]!, ws: rows[3]!, platform: rows[4]!, yoga: rows[5]!, bare: rows[6]! }
}

/** What `n` executions started together delivered, with the server's CPU (ms) and the wall time over them. */
const figures = (runs: ReadonlyArray<Timing>, cpu: number, wall: number) => {
  const n = runs.length
  const ok = runs.filter((t) => t.ok)
  const firsts = runs.map((t) => t.first).filter((x) => !Number.isNaN(x))
  const lasts = ok.map((t) => t.last)
  return {
    n,
    completed: ok.length,
    events: runs.reduce((s, t) => s + t.events, 0),
    firstP50: median(firsts),
    firstP99: percentile(firsts, 99),
    lastP50: median(lasts),
    lastP99: percentile(lasts, 99),
    cpuPerStream: cpu / n,
    wall
  }
}

/** `n` streams started together against `server`; the server's CPU time is read before and after (connections closed). */
export const concurrent = async (server: ServerProcess, body: Buffer, n: number, path = "/execute/stream", dialect: Dialect = "engine") => {
  const agent = makeAgent(n)
  const cpu0 = await server.cpuMs()
  const t0 = performance.now()
  const runs = await together(n, PHASE_CAP_MS, (signal) => stream(agent, `${server.url}${path}`, body, 2, signal, dialect))
  const wall = performance.now() - t0
  agent.destroy()
  await sleep(300)
  const cpu = (await server.cpuMs()) - cpu0
  return figures(runs, cpu, wall)
}

/** Executions per WebSocket in the WebSocket phase. */
const PER_SOCKET = 100

/** `n` fan-out executions started together over `n / PER_SOCKET` WebSockets opened beforehand; the server's CPU as in `concurrent`. */
const concurrentWs = async (server: ServerProcess, body: Buffer, n: number): Promise<Concurrent> => {
  const sockets = await Promise.all(
    Array.from({ length: Math.ceil(n / PER_SOCKET) }, () => openSocket(`${server.url.replace(/^http/, "ws")}/execute/ws`))
  )
  const cpu0 = await server.cpuMs()
  const t0 = performance.now()
  let i = 0
  const runs = await together(n, PHASE_CAP_MS, (signal) => sockets[Math.floor(i++ / PER_SOCKET)]!.run(body, 2, signal))
  const wall = performance.now() - t0
  await sleep(300)
  const cpu = (await server.cpuMs()) - cpu0
  for (const s of sockets) s.close()
  await sleep(200)
  return figures(runs, cpu, wall)
}

/** Batch executions of the one-module pipeline per second, `CLIENTS` keep-alive clients, after a 1 s warm-up. */
export const throughput = async (server: ServerProcess, body: Buffer) => {
  const agent = makeAgent(CLIENTS)
  const send = (signal: AbortSignal) => json(agent, `${server.url}/execute`, body, signal)
  const accept = (status: number, text: string) => status === 200 && text.includes("\"upper\":\"HELLO BENCHMARK WORLD\"")
  await closedLoop(CLIENTS, 1_000, send, accept)
  const cpu0 = await server.cpuMs()
  const r = await closedLoop(CLIENTS, LOOP_MS, send, accept)
  const cpu = (await server.cpuMs()) - cpu0
  agent.destroy()
  return { perSecond: r.answered / r.seconds, answered: r.answered, failed: r.failed, cpuUsPerRequest: (cpu * 1000) / r.answered }
}

/** Runs `f` with both servers started (together); stops whichever started, whatever happens. */
const withServers = async <A>(f: (servers: Servers) => Promise<A>): Promise<A> => {
  const starting = [
    // Both from esbuild bundles under plain Node, as `npm start` runs the service.
    startServer("./httpFloor.ts", {}, { bundle: true }),
    startServer("./httpEngine.ts", { MAX_CONCURRENT_EXECUTIONS: String(MAX_CONCURRENT_EXECUTIONS) }, { bundle: true }),
    startServer("./httpPlatform.ts", {}, { bundle: true }),
    startServer("./httpYoga.ts", {}, { bundle: true }),
    startServer("./httpEngineBare.ts", { MAX_CONCURRENT_EXECUTIONS: String(MAX_CONCURRENT_EXECUTIONS) }, { bundle: true })
  ]
  const started = await Promise.allSettled(starting)
  try {
    const [floor, engine, platform, yoga, bare] = started.map((s) => {
      if (s.status === "rejected") throw s.reason
      return s.value
    })
    return await f({ floor: floor!, engine: engine!, platform: platform!, yoga: yoga!, bare: bare! })
  } finally {
    await Promise.all(started.flatMap((s) => (s.status === "fulfilled" ? [s.value.stop()] : [])))
  }
}

type Sequential = Awaited<ReturnType<typeof sequential>>
type Concurrent = Awaited<ReturnType<typeof concurrent>>
type Throughput = Awaited<ReturnType<typeof throughput>>
interface Loops { readonly floor: Throughput; readonly engine: Throughput; readonly platform: Throughput; readonly bare: Throughput }
interface Level {
  readonly n: number
  readonly floor: Concurrent
  readonly engine: Concurrent
  readonly ws: Concurrent
  readonly platform: Concurrent
  readonly yoga: Concurrent
  readonly bare: Concurrent
}

/** Each figure's median over the runs of one level; what completed is the worst run's (every run must complete). */
const medianOf = (runs: ReadonlyArray<Concurrent>): Concurrent => {
  const m = (f: (c: Concurrent) => number) => median(runs.map(f))
  const worst = runs.reduce((a, b) => (b.completed < a.completed || b.events < a.events ? b : a))
  return {
    n: runs[0]!.n,
    completed: worst.completed,
    events: worst.events,
    firstP50: m((c) => c.firstP50),
    firstP99: m((c) => c.firstP99),
    lastP50: m((c) => c.lastP50),
    lastP99: m((c) => c.lastP99),
    cpuPerStream: m((c) => c.cpuPerStream),
    wall: m((c) => c.wall)
  }
}

/** The figures as markdown: the three measurements, then the targets met or missed. */
const render = (seq: Sequential, levels: ReadonlyArray<Level>, loops: Loops): string => {
  const { floor: floorLoop, engine: engineLoop, platform: platformLoop, bare: bareLoop } = loops
  const overPlatform = seq.engine.first - seq.platform.first
  const sequentialTable = table(
    [`fan-out (5/50/500 ms), median of ${seq.floor.n} sequential (at most ${SEQUENTIAL}, within ${(2.5 * PHASE_CAP_MS) / 1000} s)`, "ok", "first output ms", "all outputs ms"],
    [seq.floor, seq.engine, seq.batch, seq.ws, seq.platform, seq.yoga, seq.bare].map((r) => [r.label, `${r.ok}/${r.n}`, r.first, r.last])
  )
  const concurrencyTable = table(
    ["streams started together", "server", "completed", "events", "first p50 ms", "first p99 ms", "last p50 ms", "last p99 ms", "server CPU ms/stream", "wall s"],
    levels.flatMap(({ n, floor, engine, ws, platform, yoga, bare }) =>
      ([
        ["floor", floor],
        ["engine", engine],
        [`engine, WebSocket (${PER_SOCKET} per socket)`, ws],
        ["platform only (no engine)", platform],
        ["GraphQL Yoga", yoga],
        ["engine on bare `node:http` (not shipped)", bare]
      ] as const).map(([label, r]) => [
        n.toLocaleString("en-US"), label, `${r.completed}/${n}`, `${r.events}/${3 * n}`, r.firstP50, r.firstP99, r.lastP50, r.lastP99, r.cpuPerStream, r.wall / 1000
      ]))
  )
  const ratiosTable = table(
    ["streams", "first p50 engine/Yoga", "CPU per stream engine/Yoga", "CPU per stream engine over WebSocket/Yoga", "CPU per stream engine on bare `node:http`/Yoga", "first p50 engine/floor", "CPU per stream engine/floor", "first p50 platform only/floor", "CPU per stream platform only/floor"],
    levels.map(({ n, floor, engine, ws, platform, yoga, bare }) => [
      n.toLocaleString("en-US"), ratio(engine.firstP50, yoga.firstP50), ratio(engine.cpuPerStream, yoga.cpuPerStream), ratio(ws.cpuPerStream, yoga.cpuPerStream),
      ratio(bare.cpuPerStream, yoga.cpuPerStream),
      ratio(engine.firstP50, floor.firstP50), ratio(engine.cpuPerStream, floor.cpuPerStream),
      ratio(platform.firstP50, floor.firstP50), ratio(platform.cpuPerStream, floor.cpuPerStream)
    ])
  )
  const overheadTable = table(
    [`one-module batch, ${CLIENTS} keep-alive clients, ${LOOP_MS / 1000} s`, "requests/s", "failed", "server CPU µs/request"],
    [["floor, bare `node:http` handler", floorLoop.perSecond, `${floorLoop.failed}/${floorLoop.answered}`, floorLoop.cpuUsPerRequest],
      ["engine, `POST /execute` by ref", engineLoop.perSecond, `${engineLoop.failed}/${engineLoop.answered}`, engineLoop.cpuUsPerRequest],
      ["platform only (no engine), `POST /execute`", platformLoop.perSecond, `${platformLoop.failed}/${platformLoop.answered}`, platformLoop.cpuUsPerRequest],
      ["engine on bare `node:http` (not shipped), `POST /execute`", bareLoop.perSecond, `${bareLoop.failed}/${bareLoop.answered}`, bareLoop.cpuUsPerRequest],
      ["engine/floor", ratio(engineLoop.perSecond, floorLoop.perSecond), "", ratio(engineLoop.cpuUsPerRequest, floorLoop.cpuUsPerRequest)],
      ["platform only/floor", ratio(platformLoop.perSecond, floorLoop.perSecond), "", ratio(platformLoop.cpuUsPerRequest, floorLoop.cpuUsPerRequest)],
      ["engine on bare `node:http`/floor", ratio(bareLoop.perSecond, floorLoop.perSecond), "", ratio(bareLoop.cpuUsPerRequest, floorLoop.cpuUsPerRequest)]]
  )
  // Issue 15's targets, each against a peer or a floor measured in this run; beside each, what the
  // engine on bare `node:http` gives (its cost over the platform's share read as its cost over the floor).
  const overFloor = seq.bare.first - seq.floor.first
  const signed = (x: number) => `${x >= 0 ? "+" : ""}${fmt(x)}`
  const targets = table(["target (issue 15)", "measured", "", "engine on bare `node:http` (not shipped)", ""], [
    ["sequential first output below Yoga's (median)", `${fmt(seq.engine.first)} vs ${fmt(seq.yoga.first)} ms`, verdict(seq.engine.first < seq.yoga.first),
      `${fmt(seq.bare.first)} ms`, verdict(seq.bare.first < seq.yoga.first)],
    ["sequential first output at most 0.3 ms over the platform alone (bare: over the floor)", `${fmt(seq.engine.first)} vs ${fmt(seq.platform.first)} ms (${signed(overPlatform)})`, verdict(overPlatform <= 0.3),
      `${fmt(seq.bare.first)} vs ${fmt(seq.floor.first)} ms (${signed(overFloor)})`, verdict(overFloor <= 0.3)],
    ...levels.flatMap(({ n, floor, engine, platform, yoga, bare }) => [
      [`${n}: every stream completes with every event`, `${engine.completed}/${n}, ${engine.events}/${3 * n} events`, verdict(engine.completed === n && engine.events === 3 * n),
        `${bare.completed}/${n}, ${bare.events}/${3 * n} events`, verdict(bare.completed === n && bare.events === 3 * n)],
      [`${n}: first-output p50 below Yoga's`, `${fmt(engine.firstP50)} vs ${fmt(yoga.firstP50)} ms`, verdict(engine.firstP50 < yoga.firstP50),
        `${fmt(bare.firstP50)} ms`, verdict(bare.firstP50 < yoga.firstP50)],
      [`${n}: server CPU per stream at most 0.7x Yoga's`, ratio(engine.cpuPerStream, yoga.cpuPerStream), verdict(engine.cpuPerStream <= 0.7 * yoga.cpuPerStream),
        ratio(bare.cpuPerStream, yoga.cpuPerStream), verdict(bare.cpuPerStream <= 0.7 * yoga.cpuPerStream)],
      [`${n}: CPU per stream over the platform alone (bare: over the floor) at most 0.3x the floor's`, ratio(engine.cpuPerStream - platform.cpuPerStream, floor.cpuPerStream), verdict(engine.cpuPerStream - platform.cpuPerStream <= 0.3 * floor.cpuPerStream),
        ratio(bare.cpuPerStream - floor.cpuPerStream, floor.cpuPerStream), verdict(bare.cpuPerStream - floor.cpuPerStream <= 0.3 * floor.cpuPerStream)]
    ]),
    ["batch executions/s at least 0.5x the bare handler", ratio(engineLoop.perSecond, floorLoop.perSecond), verdict(engineLoop.perSecond >= 0.5 * floorLoop.perSecond),
      ratio(bareLoop.perSecond, floorLoop.perSecond), verdict(bareLoop.perSecond >= 0.5 * floorLoop.perSecond)]
  ])
  return [
    "### HTTP",
    "",
    `Servers in child processes on 127.0.0.1 (default listen backlog, 511), each run from an esbuild bundle by plain Node as \`npm start\` runs the service; the client in the parent; ${cpus().length} cores, Node ${process.version}. ` +
    `The engine runs with MAX_CONCURRENT_EXECUTIONS=${MAX_CONCURRENT_EXECUTIONS} so admission refuses nothing; requests name the pipeline by the \`ref\` of \`POST /compile\`. ` +
    `Every server is warmed up first with ${WARMUP_ROUNDS} rounds of ${WARMUP_STREAMS} concurrent fan-out streams. ` +
      `Each concurrency level runs ${LEVEL_RUNS} times, floor, engine over SSE, engine over WebSockets (${PER_SOCKET} executions per socket, the sockets opened beforehand), the platform alone (the floor's endpoints on \`@effect/platform\`, no engine: bench/httpPlatform.ts) GraphQL Yoga (\`@defer\` over SSE: bench/httpYoga.ts) and the engine's services on a bare \`node:http\` server (what serving the execute routes outside the platform would give; not shipped: bench/httpEngineBare.ts) in turn; its figures are the medians (what completed, the worst run's). ` +
      "Times are from sending the request to the arrival of the event; server CPU is the child's `process.cpuUsage()` (user + system) over the phase.",
    "",
    sequentialTable,
    "",
    concurrencyTable,
    "",
    ratiosTable,
    "",
    overheadTable,
    "",
    targets,
    ""
  ].join("\n")
}

export const main = async (): Promise<string> =>
  withServers(async (servers) => {
    const setup = makeAgent(1)
    const fanOutRef = await compileRef(setup, servers.engine, FAN_OUT)
    const upperRef = await compileRef(setup, servers.engine, UPPER)
    const bareFanOutRef = await compileRef(setup, servers.bare, FAN_OUT)
    const bareUpperRef = await compileRef(setup, servers.bare, UPPER)
    setup.destroy()
    const fanOutBody = Buffer.from(JSON.stringify({ ref: fanOutRef, inputs: { query: "hello benchmark world" } }))
    const bareFanOutBody = Buffer.from(JSON.stringify({ ref: bareFanOutRef, inputs: { query: "hello benchmark world" } }))
    const bareUpperBody = Buffer.from(JSON.stringify({ ref: bareUpperRef, inputs: { text: "hello benchmark world" } }))
    const yogaBody = yogaFanOut("hello benchmark world")
    const upperBody = Buffer.from(JSON.stringify({ ref: upperRef, inputs: { text: "hello benchmark world" } }))

    // Both servers warm up alike before anything is measured: a server runs
    // warm (compiled by the JIT) in production, and the floor, a few lines
    // of JavaScript, is warm after its first requests.
    for (let i = 0; i < WARMUP_ROUNDS; i++) {
      await concurrent(servers.floor, fanOutBody, WARMUP_STREAMS)
      await concurrent(servers.engine, fanOutBody, WARMUP_STREAMS)
      await concurrent(servers.platform, fanOutBody, WARMUP_STREAMS)
      await concurrent(servers.yoga, yogaBody, WARMUP_STREAMS, "/graphql", "graphql")
      await concurrent(servers.bare, bareFanOutBody, WARMUP_STREAMS)
    }
    const seq = await sequential(servers, { engine: fanOutBody, bare: bareFanOutBody, yoga: yogaBody })
    const levels: Array<Level> = []
    for (const n of [100, 1_000]) {
      const floors: Array<Concurrent> = [], engines: Array<Concurrent> = [], sockets: Array<Concurrent> = [], platforms: Array<Concurrent> = [], yogas: Array<Concurrent> = [], bares: Array<Concurrent> = []
      for (let run = 0; run < LEVEL_RUNS; run++) {
        floors.push(await concurrent(servers.floor, fanOutBody, n))
        await sleep(500)
        engines.push(await concurrent(servers.engine, fanOutBody, n))
        await sleep(500)
        sockets.push(await concurrentWs(servers.engine, fanOutBody, n))
        await sleep(500)
        platforms.push(await concurrent(servers.platform, fanOutBody, n))
        await sleep(500)
        yogas.push(await concurrent(servers.yoga, yogaBody, n, "/graphql", "graphql"))
        await sleep(500)
        bares.push(await concurrent(servers.bare, bareFanOutBody, n))
        await sleep(500)
      }
      levels.push({ n, floor: medianOf(floors), engine: medianOf(engines), ws: medianOf(sockets), platform: medianOf(platforms), yoga: medianOf(yogas), bare: medianOf(bares) })
    }
    const floorLoop = await throughput(servers.floor, upperBody)
    const engineLoop = await throughput(servers.engine, upperBody)
    const platformLoop = await throughput(servers.platform, upperBody)
    const bareLoop = await throughput(servers.bare, bareUpperBody)
    return render(seq, levels, { floor: floorLoop, engine: engineLoop, platform: platformLoop, bare: bareLoop })
  })

if (isMain(import.meta.url)) main().then((s) => console.log(s))
