/**
 * The fuzz run: every hostile input of `fuzzInputs.ts` sent to a real
 * server. Every answer must be a success or a 4xx JSON error with a code,
 * never a 5xx, never a hang (each answer within `timeoutMs`), and the
 * server must be healthy afterwards.
 */
import fc from "fast-check"
import { http, raw, wsConnect } from "../clients.js"
import type { HttpAnswer } from "../clients.js"
import type { Target } from "../target.js"
import { body, contentType, rawRequest, wsFrame } from "./fuzzInputs.js"
import type { Body } from "./fuzzInputs.js"

export interface FuzzOptions {
  readonly numRuns: number
  readonly seed?: number
  readonly maxBodyBytes: number
  readonly timeoutMs: number
}

export interface FuzzReport {
  /** Requests (or WebSocket frames) sent, by kind. */
  readonly sent: Readonly<Record<string, number>>
  /** Answers by status (`ws:<code>` for WebSocket error codes, `closed` for a connection closed without an answer). */
  readonly statuses: Readonly<Record<string, number>>
  /** Every answer that broke the rules, with what was sent (clipped). */
  readonly failures: ReadonlyArray<string>
  readonly slowestMs: number
  readonly durationMs: number
}

const clip = (u: unknown): string => {
  const s = typeof u === "string" ? u : u instanceof Uint8Array ? `bytes(${u.length}) ${Buffer.from(u.slice(0, 80)).toString("hex")}` : JSON.stringify(u)
  return s.length > 300 ? `${s.slice(0, 300)}... (${s.length})` : s
}

/** Why an HTTP answer breaks the rules, if it does. */
export const verdict = (a: { readonly status: number; readonly body: string; readonly timedOut: boolean }, head = false): string | undefined => {
  if (a.timedOut) return "no answer in time"
  if (a.status === 0) return "no answer"
  if (a.status >= 500) return `status ${a.status}`
  if (a.status >= 400 && !head) {
    try {
      const json = JSON.parse(a.body) as { error?: unknown; message?: unknown }
      if (typeof json.error !== "string" || typeof json.message !== "string") return `a ${a.status} without error and message: ${clip(a.body)}`
    } catch {
      return `a ${a.status} that is not JSON: ${clip(a.body)}`
    }
  }
  if (/\bat .*\.(ts|js):\d+|node:internal|\/work\//.test(a.body)) return `reveals internals: ${clip(a.body)}`
  return undefined
}

export const fuzz = async (target: Target, options: FuzzOptions): Promise<FuzzReport> => {
  const sent = new Map<string, number>()
  const statuses = new Map<string, number>()
  const failures: Array<string> = []
  let slowestMs = 0
  /** Paths whose raw (half-closed) GET was answered 499, to be asked again by a client that waits. */
  const leftEarly = new Set<string>()
  const count = (m: Map<string, number>, k: string) => void m.set(k, (m.get(k) ?? 0) + 1)
  const params = { numRuns: options.numRuns, ...(options.seed === undefined ? {} : { seed: options.seed }), endOnFailure: false }
  const started = performance.now()

  const timed = async (kind: string, send: () => Promise<HttpAnswer>, what: unknown, head = false) => {
    count(sent, kind)
    const t = performance.now()
    const a = await send()
    slowestMs = Math.max(slowestMs, performance.now() - t)
    count(statuses, a.timedOut ? "timeout" : String(a.status))
    const bad = verdict(a, head)
    if (bad !== undefined) failures.push(`${kind}: ${bad} for ${clip(what)}`)
  }

  const post = (path: string, b: Body, type: string | undefined = "application/json") =>
    http(`${target.url}${path}`, {
      method: "POST",
      headers: type === undefined ? {} : { "content-type": type },
      body: b,
      timeoutMs: options.timeoutMs
    })

  for (const path of ["/execute", "/execute/stream", "/compile"]) {
    await fc.check(fc.asyncProperty(body(options.maxBodyBytes), (b) => timed(`POST ${path}`, () => post(path, b), b)), params)
  }
  const valid = JSON.stringify({ source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "a" } })
  await fc.check(
    fc.asyncProperty(contentType, async (type) => {
      await timed("content type", () => post("/execute", valid, type), type)
    }),
    params
  )

  // Executions as resources: hostile bodies, ids, positions and query strings.
  await fc.check(fc.asyncProperty(body(options.maxBodyBytes), (b) => timed("POST /executions", () => post("/executions", b), b)), params)
  const made = await post("/executions", valid)
  const known = (JSON.parse(made.body) as { executionId?: string }).executionId ?? "missing"
  const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 })
  await fc.check(
    fc.asyncProperty(
      fc.oneof(fc.constant(known), fc.string({ maxLength: 80 })),
      fc.oneof(printable, fc.integer().map(String), fc.constantFrom("-1", "0", "quick", "u", "9007199254740993")),
      printable,
      async (id, lastEventId, query) => {
        const path = `${target.url}/executions/${encodeURIComponent(id)}`
        const headers = { "last-event-id": lastEventId }
        await timed("GET /executions/{id}/events", () => http(`${path}/events?${query}`, { headers, timeoutMs: options.timeoutMs }), [id, lastEventId, query])
        await timed("GET /executions/{id}", () => http(`${path}?${query}`, { timeoutMs: options.timeoutMs }), [id, query])
        await timed("GET /executions", () => http(`${target.url}/executions?${query}`, { timeoutMs: options.timeoutMs }), query)
        if (id !== known) await timed("DELETE /executions/{id}", () => http(path, { method: "DELETE", timeoutMs: options.timeoutMs }), id)
      }
    ),
    params
  )

  await fc.check(
    fc.asyncProperty(rawRequest, async (bytes) => {
      count(sent, "raw")
      const t = performance.now()
      const r = await raw(target.port, bytes, options.timeoutMs)
      slowestMs = Math.max(slowestMs, performance.now() - t)
      if (r.timedOut) {
        count(statuses, "timeout")
        failures.push(`raw: no answer in time for ${clip(bytes)}`)
        return
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(r.text)?.[1]
      if (status === undefined) {
        count(statuses, "closed")
        if (r.text.length > 0) failures.push(`raw: not an HTTP answer: ${clip(r.text)} for ${clip(bytes)}`)
        return
      }
      count(statuses, status)
      if (status === "101") return
      // The raw client half-closes its side once the request is written, which
      // Node's server takes for the client leaving: a route still working then
      // is interrupted and the platform's 499 (no body) is all that gets out.
      // Allowed here, but the path must then answer a client that stays (below).
      if (status === "499") {
        const path = typeof bytes === "string" ? /^GET (\/\S*) HTTP\/1\.[01]\r\n/.exec(bytes)?.[1] : undefined
        if (path !== undefined) leftEarly.add(path)
        return
      }
      const at = r.text.indexOf("\r\n\r\n")
      const answerBody = at < 0 ? "" : r.text.slice(at + 4)
      const head = typeof bytes === "string" && /^HEAD /.test(bytes)
      const bad = verdict({ status: Number(status), body: answerBody, timedOut: false }, head)
      if (bad !== undefined) failures.push(`raw: ${bad} for ${clip(bytes)}`)
    }),
    params
  )
  // Every path a half-closing client was given up on answers a client that waits.
  for (const path of [...leftEarly].slice(0, 10)) {
    await timed("GET after a 499", () => http(`${target.url}${path}`, { timeoutMs: options.timeoutMs }), path)
  }

  await fc.check(
    fc.asyncProperty(fc.array(wsFrame(options.maxBodyBytes), { minLength: 1, maxLength: 8 }), async (frames) => {
      count(sent, "ws connection")
      const c = await wsConnect(`${target.wsUrl}/execute/ws`)
      try {
        for (const f of frames) {
          count(sent, "ws frame")
          c.ws.send(f, { binary: typeof f !== "string" })
        }
        c.ws.send(JSON.stringify({ id: "probe", source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "a" } }))
        const probe = await c.until((f) => f["id"] === "probe" && f["isFinal"] === true, options.timeoutMs).catch(() => undefined)
        for (const f of c.frames) {
          const code = (f["error"] as { code?: string } | undefined)?.code
          if (code !== undefined) count(statuses, `ws:${code}`)
          if (code === "internal_error" || f["unparsable"] !== undefined) failures.push(`ws: ${clip(f)} for ${clip(frames)}`)
        }
        if (probe === undefined && c.ws.readyState === c.ws.OPEN) failures.push(`ws: the socket stopped answering after ${clip(frames)}`)
        if (probe === undefined && c.ws.readyState !== c.ws.OPEN) count(statuses, `ws:closed ${await c.closed}`)
      } finally {
        c.ws.terminate()
      }
    }),
    params
  )

  return {
    sent: Object.fromEntries(sent),
    statuses: Object.fromEntries([...statuses.entries()].sort()),
    failures,
    slowestMs,
    durationMs: performance.now() - started
  }
}
