/**
 * Tracing of a real server listening on 127.0.0.1, spans kept by the
 * OpenTelemetry SDK's in-memory exporter: a streamed fan-out is one trace,
 * request → execution → module attempts, with their attributes; a retried
 * module shows each attempt. Without tracing, the same run makes no span.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as HttpServer from "@effect/platform/HttpServer"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { configLayer, serverLayer } from "../../../src/http/server/server.js"
import { post, readAll } from "../support/sse.js"

const pipeline = [
  "in query: String",
  "quick = Delay(Uppercase(query), 5)",
  "medium = Delay(WordCount(query), 50)",
  "flaky = FlakyService(query) with retry: 1, fallback: \"no data\"",
  "out quick",
  "out medium",
  "out flaky",
  ""
].join("\n")

/** The real server on a free port, its spans in `exporter` when `traced`. */
const start = async (exporter: InMemorySpanExporter, env: Readonly<Record<string, string>>) => {
  const settings = configLayer.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries({ HOST: "127.0.0.1", PORT: "0", ...env })))))
  )
  const tracer = NodeSdk.layer(() => ({ resource: { serviceName: "test" }, spanProcessor: new SimpleSpanProcessor(exporter) }))
  const runtime = ManagedRuntime.make(serverLayer({ quiet: true }).pipe(Layer.provideMerge(settings), Layer.provide(tracer)))
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  return { url: `http://127.0.0.1:${address.port}`, close: () => runtime.dispose() }
}

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

const attr = (span: ReadableSpan, key: string): unknown => span.attributes[key]
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId

describe("tracing", () => {
  it("traces a streamed fan-out: request, then execution, then each module attempt", async () => {
    const exporter = new InMemorySpanExporter()
    const server = await start(exporter, { TRACE_REQUESTS: "true" })
    close = server.close
    const response = await fetch(`${server.url}/execute/stream`, post({ source: pipeline, inputs: { query: "a b c" } }))
    const executionId = response.headers.get("x-execution-id")
    const { events } = await readAll(response)
    // Order of arrival is the streaming tests' concern; on a loaded machine the
    // 50 ms module and the twice-tried 10 ms one can finish either way round.
    expect(events.map((e) => e.id).sort()).toEqual(["flaky", "medium", "quick"])
    // The execution's span ends just after its final event was written.
    await expect.poll(() => exporter.getFinishedSpans().some((s) => s.name === "execution")).toBe(true)
    await expect.poll(() => exporter.getFinishedSpans().some((s) => s.kind === 1)).toBe(true)

    const spans = exporter.getFinishedSpans()
    const request = spans.find((s) => s.name.startsWith("http.server"))!
    expect(request).toBeDefined()
    const execution = spans.find((s) => s.name === "execution")!
    expect(parentOf(execution)).toBe(request.spanContext().spanId)
    expect(execution.attributes).toMatchObject({
      "constellation.execution.id": executionId,
      "constellation.execution.mode": "stream",
      "constellation.execution.outputs": "quick,medium,flaky",
      "constellation.execution.status": "completed"
    })

    const modules = spans.filter((s) => s.name.startsWith("module "))
    for (const m of modules) {
      expect(parentOf(m)).toBe(execution.spanContext().spanId)
      expect(m.spanContext().traceId).toBe(request.spanContext().traceId)
    }
    const summary = modules
      .map((m) => [m.name, attr(m, "constellation.module.attempt"), attr(m, "constellation.module.outcome"), attr(m, "constellation.module.fallback")])
      .sort((a, b) => String(a).localeCompare(String(b)))
    expect(summary).toEqual([
      ["module Delay", 1, "succeeded", undefined],
      ["module Delay", 1, "succeeded", undefined],
      ["module FlakyService", 1, "failed", undefined],
      ["module FlakyService", 2, "failed", true]
    ])
    const flaky = modules.filter((m) => m.name === "module FlakyService")
    expect(flaky.map((m) => attr(m, "constellation.module.name"))).toEqual(["FlakyService", "FlakyService"])
    expect(new Set(flaky.map((m) => attr(m, "constellation.module.node"))).size).toBe(1)
    expect(flaky.every((m) => m.status.code === 2)).toBe(true)
  })

  it("traces a batch execution in its request, its id and status known at the end", async () => {
    const exporter = new InMemorySpanExporter()
    const server = await start(exporter, { TRACE_REQUESTS: "true" })
    close = server.close
    const response = await fetch(`${server.url}/execute`, post({ source: pipeline, inputs: { query: "a b" } }))
    const body = await response.json() as { executionId: string; status: string }
    await expect.poll(() => exporter.getFinishedSpans().some((s) => s.kind === 1)).toBe(true)
    const spans = exporter.getFinishedSpans()
    const request = spans.find((s) => s.kind === 1)!
    const execution = spans.find((s) => s.name === "execution")!
    expect(parentOf(execution)).toBe(request.spanContext().spanId)
    expect(execution.attributes).toMatchObject({
      "constellation.execution.id": body.executionId,
      "constellation.execution.mode": "batch",
      "constellation.execution.outputs": "quick,medium,flaky",
      "constellation.execution.status": body.status
    })
    expect(spans.filter((s) => parentOf(s) === execution.spanContext().spanId)).toHaveLength(4)
  })

  it("records no API key in a request span: neither a bearer header nor a WebSocket subprotocol", async () => {
    const exporter = new InMemorySpanExporter()
    const server = await start(exporter, { TRACE_REQUESTS: "true" })
    close = server.close
    const response = await fetch(`${server.url}/health`, {
      headers: { authorization: "Bearer secret-one", "sec-websocket-protocol": "constellation, bearer.secret-two" }
    })
    expect(response.status).toBe(200)
    await expect.poll(() => exporter.getFinishedSpans().length).toBe(1)
    const [span] = exporter.getFinishedSpans()
    expect(span!.attributes["http.request.header.sec-websocket-protocol"]).toBe("<redacted>")
    expect(JSON.stringify(span!.attributes)).not.toContain("secret")
  })

  it("makes no span at all when tracing is off, a tracer installed or not", async () => {
    const exporter = new InMemorySpanExporter()
    const server = await start(exporter, {})
    close = server.close
    const { events } = await readAll(await fetch(`${server.url}/execute/stream`, post({ source: pipeline, inputs: { query: "a" } })))
    expect(events).toHaveLength(3)
    const batch = await fetch(`${server.url}/execute`, post({ source: pipeline, inputs: { query: "a" } }))
    expect(batch.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([])
  })
})
