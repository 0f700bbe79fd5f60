/**
 * The disconnect storm: many streaming clients (SSE, WebSocket, raw TCP)
 * that go away at random moments: before the answer, while modules run,
 * in the middle of a large event, half-way through sending their request.
 * Afterwards nothing may still run, and memory must be back near where it
 * was.
 */
import { connect } from "node:net"
import { http, sse, wsConnect } from "../clients.js"
import { eventually, sleep } from "../measure.js"
import type { LogLine } from "../server.js"
import { random } from "../target.js"
import type { LoopFigures, Memory, Target } from "../target.js"
import { big, many, slow } from "./pipelines.js"

export interface StormOptions {
  readonly sse: number
  readonly ws: number
  readonly raw: number
  /** Clients of `POST /executions` whose reading is cut at random moments and resumed with `Last-Event-ID` until the end. */
  readonly resume?: number
  readonly seed: number
  /** Clients start at random moments within this window. */
  readonly windowMs: number
  /** Disconnects happen at most this long after a client started. */
  readonly maxAbortMs: number
}

export interface StormReport {
  readonly clients: number
  /** How the clients ended: `completed`, `aborted-before-answer`, `aborted-mid-stream`, `aborted-mid-event`, `ws-terminated`, ... */
  readonly endings: Readonly<Record<string, number>>
  /** Anything unexpected: a 5xx, a timeout, a connection error we did not cause, a truncated stream. */
  readonly unexpected: ReadonlyArray<string>
  readonly modulesInterrupted: number
  readonly disconnectsCounted: number
  readonly leftover: {
    readonly activeExecutions: number
    readonly engineExecutions: number
    readonly runningModules: number
    readonly sseStreams: number
    readonly wsStreams: number
    /** Executions kept as running (finished ones stay readable for EXECUTION_RETENTION_MS, by design). */
    readonly retainedRunning: number
  }
  /** Bytes of results the finished executions kept hold (`constellation_retained_bytes`) when memory was measured. */
  readonly retainedBytes: number
  readonly settledInMs: number
  readonly before: Memory
  readonly after: Memory
  readonly loop: LoopFigures
  readonly logs: ReadonlyArray<LogLine>
  readonly durationMs: number
}

const LARGE = "x".repeat(64 * 1024)

const post = (source: string, t: string) => JSON.stringify({ source, inputs: { t } })

export const disconnectStorm = async (target: Target, options: StormOptions): Promise<StormReport> => {
  const rnd = random(options.seed)
  const endings = new Map<string, number>()
  const end = (how: string) => void endings.set(how, (endings.get(how) ?? 0) + 1)
  const unexpected: Array<string> = []
  const stream = `${target.url}/execute/stream`

  // Warm up: every pipeline compiled and run once, so the baseline holds the compile cache.
  for (const [source, t] of [[slow, "w"], [big, LARGE], [many, "w"]] as const) {
    const r = await sse(stream, post(source, t), { timeoutMs: 10_000 })
    if (r.events.at(-1)?.data["isFinal"] !== true) unexpected.push(`warm-up did not complete: ${r.status} ${r.body}`)
  }
  const logsBefore = (await target.logs()).length
  const before = await target.memory()
  const engineBefore = await target.engine()
  const disconnectsBefore = (await target.metric("constellation_client_disconnects_total{transport=\"sse\"}")) +
    (await target.metric("constellation_client_disconnects_total{transport=\"websocket\"}"))
  await target.loopStart()
  const started = performance.now()

  const sseClient = async () => {
    await sleep(rnd.int(0, options.windowMs))
    const kind = rnd.next()
    if (kind < 0.15) {
      const r = await sse(stream, post(rnd.pick([slow, many]), "a"), { timeoutMs: 15_000 })
      if (r.status !== 200 || r.events.at(-1)?.data["isFinal"] !== true) unexpected.push(`sse to the end: ${r.status} ${r.error ?? ""} ${r.timedOut ? "timed out" : ""}`)
      else end("completed")
      return
    }
    if (kind < 0.45) {
      const total = 8 * (LARGE.length + 200)
      const r = await sse(stream, post(big, LARGE), { abortAfterBytes: rnd.int(1, total), timeoutMs: 15_000 })
      if (r.status >= 500 || r.timedOut || r.error !== undefined) unexpected.push(`sse mid-event: ${r.status} ${r.error ?? ""} ${r.timedOut ? "timed out" : ""}`)
      else end(r.aborted ? "aborted-mid-event" : "completed")
      return
    }
    const abortAt = rnd.next() < 0.4 ? { abortAfterMs: rnd.int(0, options.maxAbortMs) } : { abortAfterAnswerMs: rnd.int(0, options.maxAbortMs) }
    const r = await sse(stream, post(rnd.pick([slow, many]), "a"), { ...abortAt, timeoutMs: 15_000 })
    if (r.status >= 500 || r.timedOut || r.error !== undefined) unexpected.push(`sse timed abort: ${r.status} ${r.error ?? ""} ${r.timedOut ? "timed out" : ""}`)
    else if (!r.aborted) end("completed")
    else end(r.firstByteMs === undefined ? "aborted-before-answer" : "aborted-mid-stream")
  }

  const wsClient = async () => {
    await sleep(rnd.int(0, options.windowMs))
    const stopAfter = rnd.int(0, options.maxAbortMs)
    const how = rnd.pick(["terminate", "close", "cancel-then-close"] as const)
    const executions = rnd.int(1, 3)
    let c
    try {
      c = await wsConnect(`${target.wsUrl}/execute/ws`)
    } catch (e) {
      unexpected.push(`ws connect: ${e instanceof Error ? e.message : String(e)}`)
      return
    }
    for (let i = 0; i < executions; i++) c.ws.send(JSON.stringify({ id: `e${i}`, source: rnd.pick([slow, many]), inputs: { t: "a" } }))
    await sleep(stopAfter)
    if (how === "cancel-then-close") c.ws.send(JSON.stringify({ type: "cancel", id: "e0" }))
    if (how === "terminate") c.ws.terminate()
    else c.ws.close()
    const bad = c.frames.find((f) => (f["error"] as { code?: string } | undefined)?.code === "internal_error")
    if (bad !== undefined) unexpected.push(`ws internal error: ${JSON.stringify(bad)}`)
    end(`ws-${how}`)
  }

  const rawClient = async () => {
    await sleep(rnd.int(0, options.windowMs))
    const body = post(slow, "a")
    const cut = rnd.int(0, body.length)
    const whole = rnd.next() < 0.5
    const head = `POST /execute/stream HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`
    await new Promise<void>((resolve) => {
      const socket = connect(target.port, "127.0.0.1")
      socket.on("error", () => undefined)
      socket.on("close", () => resolve())
      socket.write(head + (whole ? body : body.slice(0, cut)))
      setTimeout(() => socket.destroy(), rnd.int(0, whole ? options.maxAbortMs : 200))
    })
    end(whole ? "raw-destroyed-mid-stream" : "raw-destroyed-mid-request")
  }

  /** Reads an execution through cuts: every output must arrive exactly once. */
  const resumeClient = async () => {
    await sleep(rnd.int(0, options.windowMs))
    const source = rnd.pick([slow, many])
    const made = await http(`${target.url}/executions`, { method: "POST", headers: { "content-type": "application/json" }, body: post(source, "a"), timeoutMs: 15_000 })
    if (made.status !== 201) return void unexpected.push(`resume create: ${made.status} ${made.body.slice(0, 200)}`)
    const createdAt = performance.now()
    const events = (JSON.parse(made.body) as { events: string }).events
    const seen: Array<string> = []
    let last: string | undefined
    for (let attempt = 0; attempt < 20; attempt++) {
      const r = await sse(`${target.url}${events}`, "", {
        method: "GET",
        headers: last === undefined ? {} : { "last-event-id": last },
        ...(attempt < 3 ? { abortAfterAnswerMs: rnd.int(0, options.maxAbortMs / 2) } : {}),
        timeoutMs: 15_000
      })
      if (r.status === 204) return void end(seen.length > 0 ? "resumed-to-the-end" : "resumed-204")
      if (r.status !== 200 || r.timedOut || r.error !== undefined) {
        return void unexpected.push(`resume read ${attempt} after ${Math.round(performance.now() - createdAt)} ms: ${r.status} ${r.error ?? ""} ${r.body.slice(0, 200)}`)
      }
      for (const e of r.events) {
        if (e.id !== undefined) last = e.id
        if (e.event === "snapshot") for (const x of e.data["results"] as Array<{ data: { name: string } }>) seen.push(x.data.name)
        if (e.event === "output" || e.event === "complete") seen.push(String(e.data["name"]))
      }
      if (r.events.at(-1)?.data["isFinal"] === true) {
        if (new Set(seen).size !== seen.length) unexpected.push(`resume: an output twice: ${seen.join(",")}`)
        return void end("resumed-to-the-end")
      }
    }
    unexpected.push("resume: no end after 20 reads")
  }

  await Promise.all([
    ...Array.from({ length: options.resume ?? 0 }, resumeClient),
    ...Array.from({ length: options.sse }, sseClient),
    ...Array.from({ length: options.ws }, wsClient),
    ...Array.from({ length: options.raw }, rawClient)
  ])
  const durationMs = performance.now() - started
  const loop = await target.loopStop()

  const settleStart = performance.now()
  const leftoverNow = async () => {
    const engine = await target.engine()
    return {
      activeExecutions: await target.metric("constellation_active_executions"),
      engineExecutions: engine.activeExecutions,
      runningModules: engine.runningModules,
      sseStreams: await target.metric("constellation_active_streams{transport=\"sse\"}"),
      wsStreams: await target.metric("constellation_active_streams{transport=\"websocket\"}"),
      retainedRunning: await target.metric("constellation_retained_executions{state=\"running\"}")
    }
  }
  await eventually(10_000, async () => Object.values(await leftoverNow()).every((n) => n === 0))
  const settledInMs = performance.now() - settleStart
  const leftover = await leftoverNow()
  const after = await target.memory()
  const retainedBytes = await target.metric("constellation_retained_bytes")
  const engineAfter = await target.engine()
  const disconnectsAfter = (await target.metric("constellation_client_disconnects_total{transport=\"sse\"}")) +
    (await target.metric("constellation_client_disconnects_total{transport=\"websocket\"}"))
  return {
    clients: options.sse + options.ws + options.raw + (options.resume ?? 0),
    endings: Object.fromEntries([...endings.entries()].sort()),
    unexpected,
    modulesInterrupted: engineAfter.modulesInterrupted - engineBefore.modulesInterrupted,
    disconnectsCounted: disconnectsAfter - disconnectsBefore,
    leftover,
    settledInMs,
    before,
    after,
    retainedBytes,
    loop,
    logs: (await target.logs()).slice(logsBefore),
    durationMs
  }
}
