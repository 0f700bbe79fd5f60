/**
 * bench/redis: the Redis store (`REDIS_URL`) against the in-memory one, in
 * the same run, with the same client; every server a child process of its
 * own running the real service (bench/httpEngine.ts), Redis a
 * `redis-server` child on a free port.
 *
 * - Added time to first output: sequential `POST /execute/stream` of a
 *   one-module pipeline, rounds alternating the two servers; the median
 *   first output of each and their difference (target: under 1 ms).
 * - Events per second through one instance with each log: closed-loop
 *   streams of a pipeline of 20 outputs with progress events.
 * - Scale-out: 1 and 2 instances (Redis) behind nginx (the recipe's
 *   configuration), 1,000 fan-out streams started together: completed,
 *   first-output p50, the instances' CPU per stream.
 *
 * Run: npx tsx bench/redis.ts
 */
import { readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { makeAgent, stream, together } from "./httpClient.js"
import type { Timing } from "./httpClient.js"
import { startServer } from "./httpProcess.js"
import type { ServerProcess } from "./httpProcess.js"
import { fmt, isMain, median, percentile, table } from "./support.js"
import { startNginx } from "../test/cluster/support/nginx.js"
import { startRedis } from "../test/cluster/support/redisServer.js"

const FAN_OUT = readFileSync(new URL("../examples/fan-out.cst", import.meta.url), "utf8")
const UPPER = "in text: String\nupper = Uppercase(text)\nout upper"
const WIDE = ["in text: String", ...Array.from({ length: 20 }, (_, i) => `o${i} = Uppercase(text)\nout o${i}`)].join("\n")
const ROUNDS = 300
const WARMUP = 30
const LOOP_MS = 4_000
const CLIENTS = 16
const STREAMS = 1_000
const PHASE_CAP_MS = 60_000

const body = (source: string, inputs: Record<string, unknown>, progress = false) =>
  Buffer.from(JSON.stringify({ source, inputs, ...(progress ? { progress: true } : {}) }))

const engine = (env: Record<string, string>) =>
  startServer("./httpEngine.ts", { MAX_CONCURRENT_EXECUTIONS: "5000", ...env }, { bundle: true })

/** Sequential streams, rounds alternating the servers: each one's first-output times. */
const firstOutput = async (servers: ReadonlyArray<ServerProcess>) => {
  const agent = makeAgent(1)
  const b = body(UPPER, { text: "hello" })
  const firsts = servers.map((): Array<number> => [])
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    // Each server first in every other round: neither gains from going second.
    const order = round % 2 === 0 ? [...servers.keys()] : [...servers.keys()].reverse()
    for (const i of order) {
      const s = servers[i]!
      // `complete` is the only output of a one-output pipeline: its arrival is the first output.
      const t = await stream(agent, `${s.url}/execute/stream`, b, 0)
      if (round >= WARMUP && t.ok) firsts[i]!.push(t.last)
    }
  }
  agent.destroy()
  return firsts.map((xs) => ({ p50: median(xs), p99: percentile(xs, 99), n: xs.length }))
}

/** Closed-loop streams of the wide pipeline for `LOOP_MS`: events received per second, and the server's CPU per event. */
const eventsPerSecond = async (server: ServerProcess) => {
  const agent = makeAgent(CLIENTS)
  const b = body(WIDE, { text: "x" }, true)
  let events = 0
  let failed = 0
  const cpu0 = await server.cpuMs()
  const t0 = performance.now()
  const end = t0 + LOOP_MS
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end) {
      const t = await stream(agent, `${server.url}/execute/stream`, b, 19)
      events += t.events
      if (!t.ok) failed++
    }
  }))
  const seconds = (performance.now() - t0) / 1000
  agent.destroy()
  await sleep(200)
  const cpu = (await server.cpuMs()) - cpu0
  return { perSecond: events / seconds, failed, cpuUsPerEvent: (cpu * 1000) / events }
}

/** `STREAMS` fan-out streams started together through `url`; the CPU of `instances` over them. */
const fanOut = async (url: string, instances: ReadonlyArray<ServerProcess>) => {
  const agent = makeAgent(STREAMS)
  const b = body(FAN_OUT, { query: "hello world" })
  const cpu0 = await Promise.all(instances.map((s) => s.cpuMs()))
  const t0 = performance.now()
  const runs: Array<Timing> = await together(STREAMS, PHASE_CAP_MS, (signal) => stream(agent, `${url}/execute/stream`, b, 2, signal))
  const wall = performance.now() - t0
  agent.destroy()
  await sleep(300)
  const cpu = (await Promise.all(instances.map((s) => s.cpuMs()))).reduce((sum, c, i) => sum + c - cpu0[i]!, 0)
  const firsts = runs.map((t) => t.first).filter((x) => !Number.isNaN(x))
  return {
    completed: runs.filter((t) => t.ok).length,
    firstP50: median(firsts),
    firstP99: percentile(firsts, 99),
    cpuPerStream: cpu / STREAMS,
    wall
  }
}

const stopAll = (xs: ReadonlyArray<{ readonly stop: () => Promise<void> } | undefined>) => Promise.all(xs.map((x) => x?.stop()))

export const main = async (): Promise<string> => {
  const redis = await startRedis()
  const out: Array<string> = ["### The Redis store (`bench/redis.ts`)\n"]
  const memory = await engine({})
  const shared = await engine({ REDIS_URL: redis.url, INSTANCE_ID: "bench-1" })
  const second = await engine({ REDIS_URL: redis.url, INSTANCE_ID: "bench-2" })
  try {
    // 1 and 2: one instance with each log, side by side.
    const [m, r] = await firstOutput([memory, shared])
    out.push(table(
      [`one-module stream, ${ROUNDS} sequential requests alternating`, "first output p50 ms", "p99 ms"],
      [["in-memory log", m!.p50, m!.p99], ["Redis log (written alongside)", r!.p50, r!.p99]]
    ))
    out.push(`\nAdded time to first output with the Redis log: **${fmt(r!.p50 - m!.p50)} ms** at the median (target < 1 ms).\n`)
    const rows: Array<Array<string | number>> = []
    await eventsPerSecond(memory)
    await eventsPerSecond(shared)
    for (let i = 0; i < 2; i++) {
      for (const [label, s] of [["in-memory log", memory], ["Redis log", shared]] as const) {
        const e = await eventsPerSecond(s)
        rows.push([`${label} (run ${i + 1})`, Math.round(e.perSecond).toLocaleString("en-US"), e.failed, e.cpuUsPerEvent])
      }
    }
    out.push(table([`20 outputs + progress, ${CLIENTS} closed-loop streams, ${LOOP_MS / 1000} s`, "output events/s", "failed", "server CPU µs/output"], rows))

    // 3: scale-out, against one instance reached directly with each log.
    const scale: Array<Array<string | number>> = []
    const row = (label: string, f: Awaited<ReturnType<typeof fanOut>>) =>
      scale.push([label, `${f.completed}/${STREAMS}`, f.firstP50, f.firstP99, f.cpuPerStream, f.wall / 1000])
    for (const [label, s] of [["1, in-memory, direct", memory], ["1, Redis, direct", shared]] as const) {
      await fanOut(s.url, [s])
      row(label, await fanOut(s.url, [s]))
    }
    for (const instances of [[shared], [shared, second]]) {
      const nginx = await startNginx(instances.map((i) => Number(new URL(i.url).port)))
      try {
        await fanOut(nginx.url, instances)
        row(`${instances.length}, Redis, behind nginx`, await fanOut(nginx.url, instances))
      } finally {
        await nginx.stop()
      }
    }
    out.push("\n" + table(
      [`instances: ${STREAMS.toLocaleString("en-US")} fan-out streams started together`, "completed", "first p50 ms", "first p99 ms", "instances' CPU ms/stream", "wall s"],
      scale
    ))
  } finally {
    await stopAll([memory, shared, second])
    await redis.close()
  }
  return out.join("\n") + "\n"
}

if (isMain(import.meta.url)) main().then((md) => console.log(md)).then(() => process.exit())
