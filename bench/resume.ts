/**
 * bench/resume: executions that outlive their connection, beside the paths
 * they add to, in one run (both servers from esbuild bundles, as
 * `npm start` runs them):
 *
 * - the fan-out (5, 50, 500 ms) through `POST /executions` then
 *   `GET /executions/{id}/events`, against `POST /execute/stream` on the
 *   same server and the hand-written floor: first output and all outputs;
 * - reconnect cost: after a cut, the time from sending the resume (with
 *   `Last-Event-ID`) to the next event delivered, beside the time the floor
 *   takes to open a fresh stream and deliver its first event;
 * - memory of 10,000 retained finished fan-out executions (in process,
 *   heap after a forced GC, before and after).
 *
 * Run: npx tsx bench/resume.ts (node needs --expose-gc for the memory row:
 * NODE_OPTIONS=--expose-gc).
 */
import { readFileSync } from "node:fs"
import { request } from "node:http"
import type { Agent } from "node:http"
import { createParser } from "eventsource-parser"
import { Context, Effect, Layer } from "effect"
import { Executions } from "../src/http/executions/Executions.js"
import { Retained } from "../src/http/executions/Retained.js"
import * as Limits from "../src/http/server/Limits.js"
import * as ServerConfig from "../src/http/server/ServerConfig.js"
import { servicesLayer } from "../src/http/server/server.js"
import { makeAgent, stream } from "./httpClient.js"
import { startServer } from "./httpProcess.js"
import { fmt, isMain, median, table } from "./support.js"

const FAN_OUT = readFileSync(new URL("../examples/fan-out.cst", import.meta.url), "utf8")
const RUNS = 20

interface Read { readonly status: number; readonly firstMs: number; readonly lastMs: number; readonly ids: Array<string> }

/** GETs an event stream; times from sending to the first `output` and to the final event. */
const follow = (agent: Agent, url: string, headers: Record<string, string> = {}, stopAfter = Infinity): Promise<Read> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now()
    let first = NaN, last = NaN
    const ids: Array<string> = []
    const req = request(url, { agent, headers })
    const parser = createParser({
      onEvent: (e) => {
        if (e.id !== undefined) ids.push(e.id)
        // An output that came before the reader did arrives inside the snapshot.
        const arrived = e.event === "output" || e.event === "complete" ||
          (e.event === "snapshot" && (JSON.parse(e.data) as { results: Array<unknown> }).results.length > 0)
        if (arrived && Number.isNaN(first)) first = performance.now() - t0
        if (e.event === "complete") last = performance.now() - t0
        if (ids.length >= stopAfter) req.destroy()
      }
    })
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        return resolve({ status: res.statusCode ?? 0, firstMs: NaN, lastMs: NaN, ids })
      }
      res.setEncoding("utf8")
      res.on("data", (c: string) => parser.feed(c))
      res.on("close", () => resolve({ status: 200, firstMs: first, lastMs: last, ids }))
    })
    req.on("error", (e) => (ids.length > 0 ? resolve({ status: 200, firstMs: first, lastMs: last, ids }) : reject(e)))
    req.end()
  })

const postJson = (agent: Agent, url: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } })
    req.on("response", (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (c: string) => (text += c))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }))
    })
    req.on("error", reject)
    req.end(body)
  })

const http = async (): Promise<string> => {
  const [floor, engine] = await Promise.all([
    startServer("./httpFloor.ts", {}, { bundle: true }),
    startServer("./httpEngine.ts", {}, { bundle: true })
  ])
  const agent = makeAgent(8)
  const body = JSON.stringify({ source: FAN_OUT, inputs: { query: "bench" } })
  const buffer = Buffer.from(body)
  try {
    const rows = { resourceFirst: [] as Array<number>, resourceAll: [] as Array<number>, streamFirst: [] as Array<number>, streamAll: [] as Array<number>, floorFirst: [] as Array<number>, floorAll: [] as Array<number> }
    const reconnect: Array<number> = []
    const fresh: Array<number> = []
    for (let i = 0; i < RUNS + 3; i++) {
      const warm = i < 3
      // The resource path: create, then follow (the time counts both).
      const t0 = performance.now()
      const created = await postJson(agent, `${engine.url}/executions`, body)
      const read = await follow(agent, `${engine.url}${String(created.json["events"])}`)
      const createdMs = performance.now() - t0 - (read.lastMs)
      const s = await stream(agent, `${engine.url}/execute/stream`, buffer, 2)
      const f = await stream(agent, `${floor.url}/execute/stream`, buffer, 2)
      // Reconnect: an execution with its outputs ready; cut after the snapshot, resume after it.
      const made = await postJson(agent, `${engine.url}/executions`, JSON.stringify({ source: "in t: String\na = Uppercase(t)\nb = Lowercase(t)\nc = Trim(t)\nout a\nout b\nout c", inputs: { t: " X " } }))
      const events = `${engine.url}${String(made.json["events"])}`
      const cut = await follow(agent, events, {}, 1)
      const resumed = await follow(agent, events, { "last-event-id": cut.ids[0] ?? "-1" })
      if (warm) continue
      rows.resourceFirst.push(createdMs + read.firstMs)
      rows.resourceAll.push(createdMs + read.lastMs)
      rows.streamFirst.push(s.first)
      rows.streamAll.push(s.last)
      rows.floorFirst.push(f.first)
      rows.floorAll.push(f.last)
      reconnect.push(resumed.firstMs)
      fresh.push(f.first)
    }
    const floorFirst = median(rows.floorFirst)
    return [
      "### Executions that outlive their connection (bench/resume.ts)\n",
      `Sequential fan-out (5, 50, 500 ms), median of ${RUNS} runs, ms from the first request:\n`,
      table(["path", "first output", "all outputs", "first vs floor"], [
        ["floor: POST /execute/stream (node:http)", fmt(floorFirst), fmt(median(rows.floorAll)), "1.00x"],
        ["engine: POST /execute/stream", fmt(median(rows.streamFirst)), fmt(median(rows.streamAll)), `${(median(rows.streamFirst) / floorFirst).toFixed(2)}x`],
        ["engine: POST /executions + GET …/events", fmt(median(rows.resourceFirst)), fmt(median(rows.resourceAll)), `${(median(rows.resourceFirst) / floorFirst).toFixed(2)}x`]
      ]),
      "",
      `Reconnect: from sending the resume (Last-Event-ID) to the next event, median of ${RUNS}: **${fmt(median(reconnect))} ms**; ` +
      `a fresh stream on the floor to its first output (a 5 ms timer included): ${fmt(median(fresh))} ms.\n`
    ].join("\n")
  } finally {
    agent.destroy()
    await Promise.all([floor.stop(), engine.stop()])
  }
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

const memory = async (count = 10_000): Promise<string> => {
  if ((globalThis as { gc?: () => void }).gc === undefined) return "Memory row skipped: run with NODE_OPTIONS=--expose-gc.\n"
  const quickFanOut = FAN_OUT.replace(", 500)", ", 20)").replace(", 50)", ", 10)").replace(", 5)", ", 1)")
  const layer = servicesLayer.pipe(Layer.provide(Layer.merge(Limits.layerWith({ maxConcurrentExecutions: count }), ServerConfig.layerWith())))
  return Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const context = yield* Layer.build(layer)
    const executions = Context.get(context, Executions)
    const retained = Context.get(context, Retained)
    // One first, so the compile cache and the code are warm before the baseline.
    const warm = yield* executions.prepare({ source: quickFanOut, inputs: { query: "warm" }, progress: false }, "resource")
    yield* Effect.sync(() => warm.start())
    yield* Effect.sleep("100 millis")
    gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < count; i++) {
      const h = yield* executions.prepare({ source: quickFanOut, inputs: { query: `q${i}` }, progress: false }, "resource")
      h.start()
    }
    while (retained.size().running > 0) yield* Effect.sleep("50 millis")
    gc()
    const after = process.memoryUsage().heapUsed
    const kept = retained.size()
    return `Memory: ${kept.finished} finished fan-out executions kept (results ${(kept.bytes / 2 ** 20).toFixed(1)} MiB by the estimate): ` +
      `heap +${((after - before) / 2 ** 20).toFixed(1)} MiB, ${((after - before) / kept.finished / 1024).toFixed(2)} KiB each.\n`
  })))
}

export const main = async (): Promise<string> => `${await http()}\n${await memory()}`

if (isMain(import.meta.url)) main().then((s) => console.log(s)).then(() => process.exit())
