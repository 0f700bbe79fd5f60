/**
 * The floor of bench/http, in a child process: a bare `node:http` server
 * doing what the engine's routes do for the benchmark, without a framework.
 *
 * - `POST /execute/stream` reads and parses the JSON body, answers with the
 *   engine's SSE headers and opening comment, then writes `output` (5 ms),
 *   `output` (50 ms) and `complete` (500 ms) from plain timers, with the
 *   engine's payload shape and `x-request-id`, and ends the response.
 * - `POST /execute` reads and parses `{ inputs: { text } }`, uppercases the
 *   text and answers the engine's batch JSON shape.
 */
import { randomUUID } from "node:crypto"
import { createServer } from "node:http"
import type { ServerResponse } from "node:http"
import { serveControl } from "./httpProcess.js"
import { readJson } from "./readJson.js"

const text = (body: { inputs?: Record<string, unknown> }, key: string): string => String(body.inputs?.[key] ?? "")

const stream = (body: { inputs?: Record<string, unknown> }, res: ServerResponse) => {
  const executionId = randomUUID()
  const query = text(body, "query")
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "x-request-id": randomUUID(),
    "cache-control": "no-cache, no-transform",
    "x-accel-buffering": "no",
    "x-execution-id": executionId
  })
  res.write(`: execution ${executionId}\n\n`)
  const plan: Array<[number, string, string, unknown]> = [
    [5, "output", "quick", query.toUpperCase()],
    [50, "output", "medium", query.split(/\s+/).filter((w) => w.length > 0).length],
    [500, "complete", "slow", `slow result for ${query}`]
  ]
  let seq = 0
  const timers = plan.map(([ms, event, name, value]) =>
    setTimeout(() => {
      const isFinal = event === "complete"
      const data = { executionId, seq: seq++, name, value, timestamp: Date.now(), isFinal, fromFallback: false }
      res.write(`event: ${event}\nid: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
      if (isFinal) res.end()
    }, ms))
  res.on("close", () => timers.forEach(clearTimeout))
}

const batch = (body: { inputs?: Record<string, unknown> }, res: ServerResponse) => {
  const started = performance.now()
  const executionId = randomUUID()
  const payload = JSON.stringify({
    executionId,
    status: "completed",
    outputs: { upper: text(body, "text").toUpperCase() },
    errors: {},
    outputStatus: { upper: "succeeded" },
    durationMs: performance.now() - started
  })
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    "x-execution-id": executionId,
    "x-request-id": randomUUID()
  })
  res.end(payload)
}

const server = createServer((req, res) => {
  readJson(req).then(
    (json) => {
      const body = json as { inputs?: Record<string, unknown> }
      if (req.method === "POST" && req.url === "/execute/stream") stream(body, res)
      else if (req.method === "POST" && req.url === "/execute") batch(body, res)
      else res.writeHead(404).end()
    },
    () => res.writeHead(400).end()
  )
})

server.listen(Number(process.env["PORT"] ?? 0), process.env["HOST"] ?? "127.0.0.1", () => {
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("expected a TCP address")
  serveControl(address.port, () => new Promise<void>((r) => server.close(() => r())))
})
