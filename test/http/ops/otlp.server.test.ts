/**
 * Export over OTLP/HTTP: the real server, configured by
 * `OTEL_EXPORTER_OTLP_ENDPOINT` and `OTEL_SERVICE_NAME`, posts its spans to
 * a small collector started here (node:http on 127.0.0.1); the trace id of
 * the request's `traceparent` is the trace of every span. Once more with
 * npm start's own entry (its chunked bundle loads the exporter on demand).
 */
import { createServer } from "node:http"
import type { Server } from "node:http"
import type { AddressInfo } from "node:net"
import { gunzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startChild } from "../../cluster/support/childInstance.js"
import { startServer } from "../support/server.js"
import { post, readAll } from "../support/sse.js"

interface OtlpSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
}
interface OtlpAttribute {
  readonly key: string
  readonly value: { readonly stringValue?: string }
}
interface OtlpBody {
  readonly resourceSpans: ReadonlyArray<{
    readonly resource: { readonly attributes: ReadonlyArray<OtlpAttribute> }
    readonly scopeSpans: ReadonlyArray<{ readonly spans: ReadonlyArray<OtlpSpan> }>
  }>
}

/** A collector that accepts `POST /v1/traces` and keeps each JSON body. */
const bodies: Array<OtlpBody> = []
let collector: Server
let endpoint: string
beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end()
        return
      }
      const raw = Buffer.concat(chunks)
      const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8")
      bodies.push(JSON.parse(text) as OtlpBody)
      res.writeHead(200, { "content-type": "application/json" }).end("{}")
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve))
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())))

describe("OTLP/HTTP export", () => {
  it("sends the spans of a traced request to the collector, in the trace of the incoming traceparent", async () => {
    const server = await startServer({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "constellation-test" })
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
    const callerSpanId = "00f067aa0ba902b7"
    try {
      const response = await fetch(`${server.url}/execute/stream`, {
        ...post({ source: "in text: String\nlate = Delay(Uppercase(text), 5)\nout late\n", inputs: { text: "hi" } }),
        headers: { "content-type": "application/json", traceparent: `00-${traceId}-${callerSpanId}-01` }
      })
      const { events } = await readAll(response)
      expect(events.map((e) => e.id)).toEqual(["late"])
    } finally {
      // Closing the server flushes the spans still batched.
      await server.close()
    }
    const resources = bodies.flatMap((b) => b.resourceSpans)
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
    const byName = (name: string) => spans.find((s) => s.name === name || s.name.startsWith(`${name} `))
    const request = byName("http.server")!
    const execution = byName("execution")!
    const module = byName("module")!
    expect([request, execution, module].map((s) => s.traceId)).toEqual([traceId, traceId, traceId])
    expect(request.parentSpanId).toBe(callerSpanId)
    expect(execution.parentSpanId).toBe(request.spanId)
    expect(module).toMatchObject({ name: "module Delay", parentSpanId: execution.spanId })
    const serviceNames = resources.flatMap((r) => r.resource.attributes.filter((a) => a.key === "service.name"))
    expect(serviceNames.map((a) => a.value.stringValue)).toContain("constellation-test")
  })

  it("answers as usual when the collector cannot be reached, and still shuts down", async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const server = await startServer({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` })
    try {
      const response = await fetch(`${server.url}/execute`, post({ source: "in text: String\nlate = Delay(text, 5)\nout late\n", inputs: { text: "hi" } }))
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: "completed", outputs: { late: "hi" } })
    } finally {
      await server.close()
    }
  })
  it("exports from npm start's bundle too (the exporter loaded on demand from its chunk)", { timeout: 90_000 }, async () => {
    const before = bodies.length
    const child = await startChild({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "constellation-bundled" })
    try {
      const response = await fetch(`${child.url}/execute`, post({ source: "in text: String\nlate = Delay(text, 5)\nout late\n", inputs: { text: "hi" } }))
      expect(await response.json()).toMatchObject({ status: "completed", outputs: { late: "hi" } })
    } finally {
      // SIGTERM drains and flushes the spans still batched.
      await child.stop()
    }
    const resources = bodies.slice(before).flatMap((b) => b.resourceSpans)
    const names = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name)))
    expect(names).toContain("module Delay")
    const serviceNames = resources.flatMap((r) => r.resource.attributes.filter((a) => a.key === "service.name"))
    expect(serviceNames.map((a) => a.value.stringValue)).toContain("constellation-bundled")
    expect(child.stderr()).not.toMatch(/TypeError/)
  })
})
