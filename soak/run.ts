/**
 * `npm run soak`: the reliability suites of test/reliability at their large
 * sizes, each against a server in a child process of its own (so memory and
 * event-loop figures are the server's alone), and a markdown report of what
 * was tried, how much, what was lost, the event loop's delay and memory.
 *
 *   npm run soak                 # every suite
 *   npm run soak -- storm fuzz   # some of them (storm, slow, fuzz, faults, capacity, shutdown)
 */
import os from "node:os"
import { capacity } from "../test/reliability/support/scenarios/capacity.js"
import { disconnectStorm } from "../test/reliability/support/scenarios/disconnectStorm.js"
import { fuzz } from "../test/reliability/support/scenarios/fuzz.js"
import { moduleFaults } from "../test/reliability/support/scenarios/moduleFaults.js"
import { shutdownUnderLoad } from "../test/reliability/support/scenarios/shutdownUnderLoad.js"
import { slowConsumer } from "../test/reliability/support/scenarios/slowConsumer.js"
import type { LoopFigures, Memory } from "../test/reliability/support/target.js"
import { startChild } from "./child.js"
import type { ChildTarget } from "./child.js"

const mib = (n: number) => `${n.toFixed(1)} MiB`
const mem = (m: Memory) => `heap ${mib(m.heapMiB)}, external ${mib(m.externalMiB)}, RSS ${mib(m.rssMiB)}`
const loop = (l: LoopFigures | undefined) => (l === undefined ? "n/a" : `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`)
const lost = (xs: ReadonlyArray<string>) => (xs.length === 0 ? "nothing" : `${xs.length}: ${xs.slice(0, 5).join("; ")}`)

const sections: Array<string> = []
const failures: Array<string> = []
const section = (title: string, rows: ReadonlyArray<readonly [string, string]>, ok: boolean) => {
  if (!ok) failures.push(title)
  sections.push([`### ${title}${ok ? "" : " (FAILED)"}`, "", "| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`), ""].join("\n"))
  console.error(`done: ${title}${ok ? "" : " (FAILED)"}`)
}

const withChild = async <A>(env: Readonly<Record<string, string>>, f: (t: ChildTarget) => Promise<A>): Promise<A> => {
  const target = await startChild(env)
  try {
    return await f(target)
  } finally {
    await target.stop()
  }
}

const suites: Record<string, () => Promise<void>> = {
  storm: () =>
    withChild({ MAX_CONCURRENT_EXECUTIONS: "5000" }, async (t) => {
      const seed = Date.now() % 100_000
      const r = await disconnectStorm(t, { sse: 800, ws: 100, raw: 100, seed, windowMs: 2_000, maxAbortMs: 1_500 })
      const leftover = Object.values(r.leftover).every((n) => n === 0)
      section("Disconnect storm", [
        ["tried", `${r.clients} clients (800 SSE, 100 WebSocket with 1-3 executions each, 100 raw TCP) starting within 2 s, disconnecting at random moments up to 1.5 s (seed ${seed})`],
        ["how they ended", Object.entries(r.endings).map(([k, v]) => `${k} ${v}`).join(", ")],
        ["modules interrupted / disconnects counted", `${r.modulesInterrupted} / ${r.disconnectsCounted}`],
        ["left running afterwards", `${JSON.stringify(r.leftover)} (settled in ${Math.round(r.settledInMs)} ms)`],
        ["memory before / after (after GC)", `${mem(r.before)} / ${mem(r.after)}`],
        ["event loop during the storm", loop(r.loop)],
        ["warnings or errors logged", String(r.logs.length)],
        ["lost or unexpected", lost(r.unexpected)],
        ["duration", `${(r.durationMs / 1000).toFixed(1)} s`]
      ], r.unexpected.length === 0 && leftover && r.logs.length === 0 && r.after.heapMiB - r.before.heapMiB < 20)
    }),
  slow: () =>
    withChild({ MAX_SOURCE_BYTES: String(1024 * 1024), MAX_DAG_NODES: "100000", MAX_BODY_BYTES: String(4 * 1024 * 1024) }, async (t) => {
      for (const transport of ["sse", "websocket"] as const) {
        const r = await slowConsumer(t, { transport, outputs: 5_000, valueBytes: 8 * 1024, pauseMs: 3_000, readDelayMs: 2, timeoutMs: 300_000 })
        const ok = r.stalled && r.duplicates === 0 && r.missing === 0 && r.outOfOrder === 0 && r.received === r.outputs && r.finalEvent === "complete"
        section(`Slow consumer (${transport})`, [
          ["tried", `${r.outputs} outputs of 8 KiB (${mib(r.streamMiB)} in all); the client reads 5 events, stops reading for 3 s, then reads one chunk every 2 ms`],
          ["events the server had sent when the client stopped / 3 s later", `${r.sentAtPause} / ${r.sentAfterPause} of ${r.outputs} (${r.stalled ? "stalled" : "still sending"})`],
          ["server memory before / during the stall", `${mem(r.before)} / ${mem(r.duringPause)}`],
          ["received", `${r.received}: ${r.duplicates} twice, ${r.missing} missing, ${r.outOfOrder} out of sequence; last event ${r.finalEvent}`],
          ["duration", `${(r.durationMs / 1000).toFixed(1)} s`]
        ], ok)
      }
    }),
  fuzz: () =>
    withChild({ MAX_BODY_BYTES: String(64 * 1024), EXECUTION_DEADLINE_MS: "2000" }, async (t) => {
      const seed = Date.now() % 1_000_000
      await t.loopStart()
      const r = await fuzz(t, { numRuns: 1_000, seed, maxBodyBytes: 64 * 1024, timeoutMs: 10_000 })
      const l = await t.loopStop()
      const engine = await t.engine()
      const logs = (await t.logs()).filter((x) => x.level === "ERROR" || x.level === "FATAL")
      section("Bad input (fast-check)", [
        ["tried", `${Object.entries(r.sent).map(([k, v]) => `${k} ${v}`).join(", ")} (seed ${seed})`],
        ["answers", Object.entries(r.statuses).map(([k, v]) => `${k}: ${v}`).join(", ")],
        ["slowest answer", `${Math.round(r.slowestMs)} ms`],
        ["event loop", loop(l)],
        ["afterwards", `ready, ${engine.runningModules} modules running, ${logs.length} errors logged`],
        ["lost or unexpected (5xx, hangs, non-JSON errors, leaked internals)", lost(r.failures)]
      ], r.failures.length === 0 && engine.runningModules === 0 && logs.length === 0)
    }),
  faults: () =>
    withChild({}, async (t) => {
      const r = await moduleFaults(t, { executions: 300, concurrency: 100 })
      section("Module faults", [
        ["tried", `${r.executions} executions (${r.concurrency} at a time, SSE, batch and WebSocket) of a pipeline with ${r.faults} faulty modules (fail, throw, die, hang past a timeout, wrong result type, hostile errors) among healthy ones`],
        ["outputs checked", `${r.outputsChecked}: every fault an error event with its code, every healthy output its value`],
        ["event loop", loop(r.loop)],
        ["memory before / after", `${mem(r.before)} / ${mem(r.after)}`],
        ["left running afterwards", `${r.leftover.engineExecutions} executions, ${r.leftover.runningModules} modules`],
        ["lost or wrong", lost(r.wrong)]
      ], r.wrong.length === 0 && r.leftover.engineExecutions === 0 && r.leftover.runningModules === 0)
    }),
  capacity: () =>
    withChild({ MAX_CONCURRENT_EXECUTIONS: "200", RETRY_AFTER_SECONDS: "2" }, async (t) => {
      const r = await capacity(t, { limit: 200, sse: 500, batch: 300, ws: 200, executionMs: 8_000 })
      section("Capacity", [
        ["tried", `${r.requests} simultaneous executions (500 SSE, 300 batch, 200 WebSocket) against MAX_CONCURRENT_EXECUTIONS=200, each running 8 s`],
        ["admitted / refused", `${r.admitted} / ${r.refused} (503 over_capacity with Retry-After; ${r.rejectedCounted} counted)`],
        ["slowest refusal", `${Math.round(r.slowestRefusalMs)} ms (the admitted ones ran 8 s: nothing queued)`],
        ["server memory before / at the peak", `${mem(r.before)} / ${mem(r.peak)}`],
        ["event loop", loop(r.loop)],
        ["lost or unexpected", lost([...r.malformedRefusals, ...(r.unanswered > 0 ? [`${r.unanswered} unanswered`] : []), ...(r.incomplete > 0 ? [`${r.incomplete} incomplete`] : [])])]
      ], r.admitted === 200 && r.refused === r.requests - 200 && r.unanswered === 0 && r.incomplete === 0 && r.malformedRefusals.length === 0)
    }),
  shutdown: async () => {
    const graceMs = 3_000
    const r = await shutdownUnderLoad({ sse: 1_000, ws: 100, graceMs, timeoutMs: 120_000 })
    section("Graceful shutdown under load", [
      ["tried", `SIGTERM to \`src/http/server/main.ts\` (SHUTDOWN_GRACE_MS=${graceMs}) with ${r.streams} executions streaming (1,000 SSE, 100 WebSockets with 2 each); a third finish within the grace period`],
      ["final events", Object.entries(r.finals).map(([k, v]) => `${k} ${v}`).join(", ")],
      ["refused during the drain", `${r.refusedDuringDrain} of 5 (503 shutting_down)`],
      ["WebSockets closed with 1001", String(r.wsClosedWith1001)],
      ["exit", `code ${r.exitCode}, ${Math.round(r.exitAfterMs)} ms after SIGTERM`],
      ["event loop (whole life of the server process)", loop(r.loop)],
      ["lost", lost(r.lost)]
    ], r.lost.length === 0 && r.exitCode === 0 && r.exitAfterMs < graceMs + 5_000)
  }
}

const chosen = process.argv.slice(2).filter((a) => a in suites)
const started = performance.now()
for (const name of chosen.length > 0 ? chosen : Object.keys(suites)) await suites[name]!()
console.log([
  `## Soak run, ${new Date().toISOString().slice(0, 10)}`,
  "",
  `Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")} at the end; ${((performance.now() - started) / 1000).toFixed(0)} s in all.`,
  "",
  ...sections
].join("\n"))
if (failures.length > 0) {
  console.error(`FAILED: ${failures.join(", ")}`)
  process.exitCode = 1
}
