/**
 * The client of bench/http, the same code for every server:
 * `node:http` requests through a keep-alive `Agent`, Server-Sent Events
 * parsed by `eventsource-parser`, times taken with `performance.now()` from
 * just before the request is sent.
 */
import { createParser } from "eventsource-parser"
import { setMaxListeners } from "node:events"
import { Agent, request } from "node:http"
import { performance } from "node:perf_hooks"
import WebSocket from "ws"

/** A keep-alive agent with room for `sockets` connections at once. */
export const makeAgent = (sockets: number): Agent => new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets })

/** What one execution delivered; times in ms from sending the request, `NaN` when it never came. */
export interface Timing {
  /** Every expected event came (streams: every `output` and the `complete`; batch: a 200 with every output). */
  readonly ok: boolean
  /** `output` and `complete` events received (batch: outputs in the body). */
  readonly events: number
  readonly first: number
  readonly last: number
}

const post = (agent: Agent, url: string, body: Buffer, headers: Record<string, string>, signal: AbortSignal | undefined) =>
  request(url, {
    method: "POST",
    agent,
    headers: { "content-type": "application/json", "content-length": String(body.length), ...headers },
    ...(signal === undefined ? {} : { signal })
  })

/**
 * How a server's event stream carries outputs: the engine's `output` events
 * then `complete` (with the last output), or GraphQL over SSE (Yoga): a
 * `next` event per payload, each deferred field one entry of its
 * `incremental` list, the last payload `hasNext: false`.
 */
export type Dialect = "engine" | "graphql"

/** The outputs one GraphQL `next` payload carries, and whether it is the last (a payload that is not JSON carries none). */
const graphqlPayload = (data: string): { readonly outputs: number; readonly last: boolean } => {
  let payload: { readonly incremental?: ReadonlyArray<{ readonly data?: object }>; readonly hasNext?: boolean }
  try {
    payload = JSON.parse(data) as typeof payload
  } catch {
    return { outputs: 0, last: false }
  }
  const outputs = (payload.incremental ?? []).filter((i) => i.data !== undefined).length
  return { outputs, last: payload.hasNext === false }
}

/**
 * POSTs `body` to an SSE endpoint and reads the stream to its end: the
 * arrival of the first output and of the last. `outputs` is how many
 * outputs precede the last one (the engine: `output` events before
 * `complete`; GraphQL: deferred fields before the last payload's).
 */
export const stream = (
  agent: Agent,
  url: string,
  body: Buffer,
  outputs: number,
  signal?: AbortSignal,
  dialect: Dialect = "engine"
): Promise<Timing> =>
  new Promise((resolve) => {
    const t0 = performance.now()
    let first = NaN, last = NaN, seen = 0, events = 0, settled = false
    const settle = () => {
      if (settled) return
      settled = true
      resolve({ ok: seen === outputs && !Number.isNaN(last), events, first, last })
    }
    const arrived = (n: number, isLast: boolean) => {
      const now = performance.now() - t0
      if (n > 0 && events === 0) first = now
      events += n
      if (isLast) {
        last = now
        seen += n - 1
      } else seen += n
    }
    const parser = createParser({
      onEvent: (e) => {
        if (dialect === "graphql") {
          if (e.event !== "next") return
          const p = graphqlPayload(e.data)
          if (p.outputs > 0 || p.last) arrived(p.outputs, p.last)
        } else if (e.event === "output") arrived(1, false)
        else if (e.event === "complete") arrived(1, true)
      }
    })
    const req = post(agent, url, body, { accept: "text/event-stream" }, signal)
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        return settle()
      }
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => parser.feed(chunk))
      res.on("end", settle)
      res.on("error", settle)
      res.on("close", settle)
    })
    req.on("error", settle)
    req.end(body)
  })

/** The whole JSON body of a POST, its status and the time it took. */
export const json = (agent: Agent, url: string, body: Buffer, signal?: AbortSignal) =>
  new Promise<{ readonly status: number; readonly body: string; readonly ms: number }>((resolve) => {
    const t0 = performance.now()
    const req = post(agent, url, body, { accept: "application/json" }, signal)
    req.on("response", (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - t0 }))
      res.on("error", () => resolve({ status: 0, body: "", ms: performance.now() - t0 }))
    })
    req.on("error", () => resolve({ status: 0, body: "", ms: performance.now() - t0 }))
    req.end(body)
  })

/** A batch execution as a `Timing`: the first output is the whole response. */
export const batch = async (agent: Agent, url: string, body: Buffer, outputs: number, signal?: AbortSignal): Promise<Timing> => {
  const r = await json(agent, url, body, signal)
  const received = r.status === 200 ? Object.keys((JSON.parse(r.body) as { outputs: object }).outputs).length : 0
  return { ok: received === outputs, events: received, first: r.ms, last: r.ms }
}

/**
 * `n` executions started together (`run` called `n` times in one loop),
 * each cut off at `capMs` from the start (it then counts as incomplete).
 */
export const together = async (n: number, capMs: number, run: (signal: AbortSignal) => Promise<Timing>): Promise<Array<Timing>> => {
  const cap = new AbortController()
  setMaxListeners(Infinity, cap.signal)
  const timer = setTimeout(() => cap.abort(), capMs)
  try {
    return await Promise.all(Array.from({ length: n }, () => run(cap.signal)))
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `concurrency` clients, each sending its next request as soon as the
 * last is answered, for `durationMs`: the requests answered and how many
 * of them `accept` rejected (a wrong status or body). A request still
 * unanswered 10 s after the end is aborted and counts as failed.
 */
export const closedLoop = async (
  concurrency: number,
  durationMs: number,
  send: (signal: AbortSignal) => Promise<{ readonly status: number; readonly body: string }>,
  accept: (status: number, body: string) => boolean
): Promise<{ readonly answered: number; readonly failed: number; readonly seconds: number }> => {
  const t0 = performance.now()
  const end = t0 + durationMs
  const cap = new AbortController()
  setMaxListeners(Infinity, cap.signal)
  const timer = setTimeout(() => cap.abort(), durationMs + 10_000)
  let answered = 0, failed = 0
  const client = async () => {
    while (performance.now() < end && !cap.signal.aborted) {
      const r = await send(cap.signal)
      answered++
      if (!accept(r.status, r.body)) failed++
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, client))
  } finally {
    clearTimeout(timer)
  }
  return { answered, failed, seconds: (performance.now() - t0) / 1000 }
}

/**
 * One WebSocket to `url` (`GET /execute/ws`), opened once: `run` sends an
 * execute frame for `body` and times its first `output` and its final
 * frame, as `stream` does for SSE (the handshake is not counted). Runs may
 * overlap: frames are routed by id.
 */
export const openSocket = async (url: string) => {
  const ws = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve())
    ws.once("error", reject)
  })
  type Frame = { readonly type?: unknown; readonly id?: unknown; readonly isFinal?: unknown }
  const running = new Map<string, (frame: Frame) => void>()
  ws.on("message", (data) => {
    const frame = JSON.parse(String(data)) as Frame
    if (typeof frame.id === "string") running.get(frame.id)?.(frame)
  })
  let n = 0
  const run = (body: Buffer, outputs: number, signal?: AbortSignal): Promise<Timing> =>
    new Promise((resolve) => {
      const request = JSON.parse(body.toString("utf8")) as Record<string, unknown>
      const id = `bench-${n++}`
      const t0 = performance.now()
      let first = NaN, seen = 0, events = 0
      const settle = (timing: Timing) => {
        running.delete(id)
        signal?.removeEventListener("abort", abort)
        resolve(timing)
      }
      const abort = () => settle({ ok: false, events, first, last: NaN })
      signal?.addEventListener("abort", abort, { once: true })
      running.set(id, (frame) => {
        if (frame.type === "output") {
          events++
          if (seen++ === 0) first = performance.now() - t0
        } else if (frame.isFinal === true) {
          if (frame.type === "complete") events++
          settle({ ok: frame.type === "complete" && seen === outputs, events, first, last: performance.now() - t0 })
        }
      })
      ws.send(JSON.stringify({ ...request, type: "execute", id }))
    })
  return { run, close: () => ws.close() }
}
