/**
 * Graceful shutdown under load: the real server process (`src/http/server/main.ts`)
 * with hundreds of streams open (SSE and WebSocket; some finish within the
 * grace period, most would run for a minute) receives SIGTERM. Every client
 * must get its final event (`complete`, or the `shutting_down` error), new
 * executions are refused meanwhile, and the process exits 0 within the
 * grace period (plus a margin for the last writes).
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { http, sse, wsConnect } from "../clients.js"
import type { SseResult, WsClient } from "../clients.js"
import { eventually } from "../measure.js"
import type { LoopFigures } from "../target.js"
import { after, slow } from "./pipelines.js"

export interface ShutdownOptions {
  readonly sse: number
  readonly ws: number
  readonly graceMs: number
  /** Gives up on the child after this long. */
  readonly timeoutMs: number
}

export interface ShutdownReport {
  readonly streams: number
  /** Final events received, by kind (`complete`, `shutting_down`, `ws-complete` ...). */
  readonly finals: Readonly<Record<string, number>>
  /** Clients that did not get a final event, with what they got. */
  readonly lost: ReadonlyArray<string>
  readonly refusedDuringDrain: number
  readonly wsClosedWith1001: number
  readonly exitCode: number | null
  /** From SIGTERM to the process's exit, in ms. */
  readonly exitAfterMs: number
  readonly loop: LoopFigures | undefined
  readonly durationMs: number
}

const root = fileURLToPath(new URL("../../../../", import.meta.url))
const probe = fileURLToPath(new URL("../loopProbe.ts", import.meta.url))

export const shutdownUnderLoad = async (options: ShutdownOptions): Promise<ShutdownReport> => {
  const started = performance.now()
  const child = spawn(process.execPath, ["--import", "tsx", "--import", probe, "src/http/server/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      SHUTDOWN_GRACE_MS: String(options.graceMs),
      MAX_CONCURRENT_EXECUTIONS: String(options.sse + options.ws * 2 + 50)
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout.on("data", (c: Buffer) => void (output += c.toString()))
  child.stderr.on("data", (c: Buffer) => void (output += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  const kill = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs)
  try {
    if (!(await eventually(30_000, () => /Listening on http:\/\/127\.0\.0\.1:\d+/.test(output)))) {
      throw new Error(`the server did not start: ${output}`)
    }
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!
    const wsUrl = url.replace("http:", "ws:")

    // Streams of three kinds: done before the grace period ends, an output then a long wait, only a long wait.
    const kinds = [after(options.graceMs / 3), "in t: String\nfirst = Uppercase(t)\nlate = Delay(t, 60000)\nout first\nout late", after(60_000)]
    const answered: Array<Promise<void>> = []
    const results: Array<Promise<SseResult>> = []
    for (let i = 0; i < options.sse; i++) {
      let onAnswer: () => void = () => undefined
      answered.push(new Promise<void>((resolve) => (onAnswer = resolve)))
      const body = JSON.stringify({ source: kinds[i % 3], inputs: { t: "x" } })
      results.push(sse(`${url}/execute/stream`, body, { timeoutMs: options.timeoutMs, onAnswer }).finally(() => onAnswer()))
    }
    const sockets: Array<WsClient> = []
    for (let i = 0; i < options.ws; i++) {
      const c = await wsConnect(`${wsUrl}/execute/ws`)
      c.ws.send(JSON.stringify({ id: "quick", source: after(options.graceMs / 3), inputs: { t: "x" } }))
      c.ws.send(JSON.stringify({ id: "slow", source: slow.replace("SlowApiCall(t)", "Delay(t, 60000)"), inputs: { t: "x" } }))
      sockets.push(c)
    }
    await Promise.all(answered)

    const term = performance.now()
    child.kill("SIGTERM")
    let refusedDuringDrain = 0
    await eventually(2_000, async () => (await http(`${url}/health/ready`, { timeoutMs: 2_000 })).status === 503)
    for (let i = 0; i < 5; i++) {
      const r = await http(`${url}/execute`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ source: after(1), inputs: { t: "x" } }),
        timeoutMs: 2_000
      })
      if (r.status === 503 && r.body.includes("shutting_down") && r.headers["retry-after"] !== undefined) refusedDuringDrain++
    }

    const finals = new Map<string, number>()
    const lost: Array<string> = []
    const final = (kind: string) => void finals.set(kind, (finals.get(kind) ?? 0) + 1)
    for (const r of await Promise.all(results)) {
      const last = r.events.at(-1)
      if (last?.data["isFinal"] !== true) lost.push(`sse ${r.status}: ${r.events.length} events ${r.error ?? ""}${r.timedOut ? " timed out" : ""}`)
      else final(last.event === "complete" ? "complete" : String((last.data["error"] as { code?: string }).code))
    }
    const code = await exited
    const exitAfterMs = performance.now() - term
    let wsClosedWith1001 = 0
    for (const c of sockets) {
      for (const id of ["quick", "slow"]) {
        const last = c.frames.find((f) => f["id"] === id && f["isFinal"] === true)
        if (last === undefined) lost.push(`ws ${id}: ${JSON.stringify(c.frames).slice(0, 200)}`)
        else final(`ws-${last["type"] === "complete" ? "complete" : String((last["error"] as { code?: string }).code)}`)
      }
      if ((await c.closed) === 1001) wsClosedWith1001++
    }
    const loopLine = /loop-delay (\{.*\})/.exec(output)?.[1]
    return {
      streams: options.sse + options.ws * 2,
      finals: Object.fromEntries([...finals.entries()].sort()),
      lost,
      refusedDuringDrain,
      wsClosedWith1001,
      exitCode: code,
      exitAfterMs,
      loop: loopLine === undefined ? undefined : (JSON.parse(loopLine) as LoopFigures),
      durationMs: performance.now() - started
    }
  } finally {
    clearTimeout(kill)
    child.kill("SIGKILL")
  }
}
