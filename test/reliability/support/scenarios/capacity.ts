/**
 * Capacity: a burst of more simultaneous executions (SSE, batch and
 * WebSocket) than the server's `MAX_CONCURRENT_EXECUTIONS`. The executions
 * within the limit run to their end; every other is refused at once (503
 * `over_capacity` with `Retry-After`, or its WebSocket error frame), never
 * queued behind the running ones; memory stays bounded.
 */
import { http, sse, wsConnect } from "../clients.js"
import type { HttpAnswer, SseResult } from "../clients.js"
import { eventually } from "../measure.js"
import type { LoopFigures, Memory, Target } from "../target.js"
import { after } from "./pipelines.js"

export interface CapacityOptions {
  /** The server's `MAX_CONCURRENT_EXECUTIONS`. */
  readonly limit: number
  readonly sse: number
  readonly batch: number
  /** WebSocket execute frames, spread over sockets of 4 frames each. */
  readonly ws: number
  /** How long each execution runs: longer than the burst takes to arrive. */
  readonly executionMs: number
}

export interface CapacityReport {
  readonly requests: number
  readonly admitted: number
  readonly refused: number
  /** Refusals without a `Retry-After` header, or with another status or code. */
  readonly malformedRefusals: ReadonlyArray<string>
  /** Admitted executions that did not end with their output. */
  readonly incomplete: number
  readonly unanswered: number
  /** The slowest refusal, from sending to its answer, in ms: refusals must not wait for a slot. */
  readonly slowestRefusalMs: number
  readonly rejectedCounted: number
  readonly before: Memory
  readonly peak: Memory
  readonly loop: LoopFigures
  readonly leftoverExecutions: number
  readonly durationMs: number
}

export const capacity = async (target: Target, options: CapacityOptions): Promise<CapacityReport> => {
  const body = JSON.stringify({ source: after(options.executionMs), inputs: { t: "x" } })
  await http(`${target.url}/compile`, { method: "POST", headers: { "content-type": "application/json" }, body })
  const before = await target.memory()
  const rejectedBefore = await target.metric("constellation_requests_rejected_total{reason=\"over_capacity\"}")
  await target.loopStart()
  const started = performance.now()
  const malformed: Array<string> = []
  let admitted = 0
  let refused = 0
  let incomplete = 0
  let unanswered = 0
  let slowestRefusalMs = 0
  let peak = before

  const refusal = (a: HttpAnswer | SseResult, ms: number, what: string) => {
    refused++
    slowestRefusalMs = Math.max(slowestRefusalMs, ms)
    const text = "body" in a ? a.body : ""
    if (a.headers["retry-after"] === undefined || !text.includes("\"over_capacity\"")) malformed.push(`${what}: ${a.status} ${text.slice(0, 200)}`)
  }

  const sseClient = async () => {
    const t = performance.now()
    const r = await sse(`${target.url}/execute/stream`, body, { timeoutMs: options.executionMs + 20_000 })
    if (r.status === 200) {
      admitted++
      if (r.events.at(-1)?.event !== "complete") incomplete++
    } else if (r.status === 503 || r.status === 429) refusal(r, r.firstByteMs ?? performance.now() - t, "sse")
    else unanswered++
  }
  const batchClient = async () => {
    const t = performance.now()
    const r = await http(`${target.url}/execute`, { method: "POST", headers: { "content-type": "application/json" }, body, timeoutMs: options.executionMs + 20_000 })
    const ms = performance.now() - t
    if (r.status === 200) {
      admitted++
      if (!r.body.includes("\"completed\"")) incomplete++
    } else if (r.status === 503 || r.status === 429) refusal(r, ms, "batch")
    else unanswered++
  }
  const wsClient = async (frames: number) => {
    const c = await wsConnect(`${target.wsUrl}/execute/ws`)
    const sentAt = performance.now()
    for (let i = 0; i < frames; i++) c.ws.send(JSON.stringify({ id: `e${i}`, source: after(options.executionMs), inputs: { t: "x" } }))
    const finals = await Promise.all(Array.from({ length: frames }, (_, i) =>
      c.until((f) => f["id"] === `e${i}` && f["isFinal"] === true, options.executionMs + 20_000).then(
        (f) => [f, performance.now() - sentAt] as const,
        () => undefined
      )))
    for (const answer of finals) {
      if (answer === undefined) {
        unanswered++
        continue
      }
      const [last, ms] = answer
      if ((last["error"] as { code?: string } | undefined)?.code === "over_capacity") {
        refused++
        slowestRefusalMs = Math.max(slowestRefusalMs, ms)
        if (typeof last["retryAfterSeconds"] !== "number") malformed.push(`ws: ${JSON.stringify(last)}`)
      } else {
        admitted++
        if (last["type"] !== "complete") incomplete++
      }
    }
    c.ws.close()
  }

  const sampler = (async () => {
    await new Promise((r) => setTimeout(r, options.executionMs / 2))
    peak = await target.memory()
  })()
  const sockets = Math.ceil(options.ws / 4)
  await Promise.all([
    ...Array.from({ length: options.sse }, sseClient),
    ...Array.from({ length: options.batch }, batchClient),
    ...Array.from({ length: sockets }, (_, i) => wsClient(Math.min(4, options.ws - i * 4))),
    sampler
  ])
  const durationMs = performance.now() - started
  const loop = await target.loopStop()
  await eventually(5_000, async () => (await target.metric("constellation_active_executions")) === 0)
  return {
    requests: options.sse + options.batch + options.ws,
    admitted,
    refused,
    malformedRefusals: malformed,
    incomplete,
    unanswered,
    slowestRefusalMs,
    rejectedCounted: (await target.metric("constellation_requests_rejected_total{reason=\"over_capacity\"}")) - rejectedBefore,
    before,
    peak,
    loop,
    leftoverExecutions: await target.metric("constellation_active_executions"),
    durationMs
  }
}
