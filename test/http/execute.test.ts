/**
 * In-process tests of `POST /execute` and `POST /execute/stream`: results,
 * the event stream, and every error known before a stream starts.
 */
import { Schema } from "effect"
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BatchResponse } from "../../src/protocol/api.js"
import { ErrorBody } from "../../src/protocol/errors.js"
import { StreamEvent } from "../../src/protocol/events.js"
import type { EventName } from "../../src/protocol/events.js"
import { hello, partial, slow } from "./support/pipelines.js"
import { makeApp } from "./support/server.js"
import type { TestApp } from "./support/server.js"
import { eventsOf, post, readAll } from "./support/sse.js"

let app: TestApp
beforeAll(() => {
  app = makeApp()
})
afterAll(() => app.dispose())

const batch = async (body: unknown) => {
  const r = await app.fetch("/execute", post(body))
  return { response: r, body: Schema.decodeUnknownSync(BatchResponse)(await r.json()) }
}
const errorOf = async (r: Response) => Schema.decodeUnknownSync(ErrorBody)(await r.json())

describe("POST /execute (batch)", () => {
  it("answers every output, with the execution id in a header", async () => {
    const { response, body } = await batch({ source: hello, inputs: { text: "hi" } })
    expect(response.status).toBe(200)
    expect(body).toMatchObject({ status: "completed", outputs: { upper: "HI" }, errors: {} })
    expect(Object.keys(body).sort()).toEqual(["durationMs", "errors", "executionId", "outputStatus", "outputs", "status"])
    expect(response.headers.get("x-execution-id")).toBe(body.executionId)
  })

  it("keeps a partial result with the error of each failed output", async () => {
    const { body } = await batch({ source: partial, inputs: { text: "hi" } })
    expect(body.status).toBe("partial")
    expect(body.outputs).toEqual({ ok: "HI" })
    expect(body.errors["bad"]).toMatchObject({ code: "invalid_argument", module: "Delay" })
  })

  it("runs a pipeline by its ref from /compile", async () => {
    const compiled = (await (await app.fetch("/compile", post({ source: hello }))).json()) as { ref: string }
    const { body } = await batch({ ref: compiled.ref, inputs: { text: "by ref" } })
    expect(body.outputs).toEqual({ upper: "BY REF" })
  })

  it("a request's deadlineMs ends a slow execution", async () => {
    const { body } = await batch({ source: slow, inputs: { text: "x" }, deadlineMs: 30 })
    expect(body.status).toBe("failed")
    expect(body.errors["late"]).toMatchObject({ code: "deadline_exceeded", module: null })
  })

  it("answers as the stream does with Accept: text/event-stream", async () => {
    const r = await app.fetch("/execute", post({ source: hello, inputs: { text: "hi" } }, { accept: "text/event-stream" }))
    expect(r.headers.get("content-type")).toBe("text/event-stream")
    const { events } = await readAll(r)
    expect(events.map((e) => e.event)).toEqual(["complete"])
  })
})

describe("errors before anything runs", () => {
  const cases: ReadonlyArray<readonly [string, RequestInit, number, string]> = [
    ["malformed JSON", post("{\"source\": "), 400, "malformed_json"],
    ["an empty body", post(""), 400, "malformed_json"],
    ["invalid UTF-8", { method: "POST", body: new Uint8Array([0x7b, 0xff, 0x7d]) }, 400, "malformed_json"],
    ["a JSON array", post([1, 2]), 400, "invalid_request"],
    ["neither source nor ref", post({ inputs: {} }), 400, "invalid_request"],
    ["both source and ref", post({ source: hello, ref: "sha256:x" }), 400, "invalid_request"],
    ["a progress that is not a boolean", post({ source: hello, progress: "yes" }), 400, "invalid_request"],
    ["a deadlineMs that is not positive", post({ source: hello, deadlineMs: 0 }), 400, "invalid_request"],
    ["a maxBuffered too large", post({ source: hello, maxBuffered: 1e9 }), 400, "invalid_request"],
    ["a pipeline that does not compile", post({ source: "out nope\n" }), 400, "compile_error"],
    ["inputs that do not match", post({ source: hello, inputs: { text: 5 } }), 400, "invalid_inputs"],
    ["an unknown ref", post({ ref: "sha256:0000", inputs: {} }), 404, "unknown_ref"]
  ]
  for (const [name, init, status, code] of cases) {
    for (const path of ["/execute", "/execute/stream"]) {
      it(`${path}: ${name} is ${status} ${code}, as JSON`, async () => {
        const r = await app.fetch(path, init)
        expect(r.status).toBe(status)
        expect(r.headers.get("content-type")).toContain("application/json")
        const body = await errorOf(r)
        expect(body.error).toBe(code)
        expect(body.message.length).toBeGreaterThan(0)
      })
    }
  }

  it("invalid inputs list every issue with its path", async () => {
    const source = "in a: Int\nin b: List<String>\nout a\nout b\n"
    const body = await errorOf(await app.fetch("/execute", post({ source, inputs: { a: "x", b: [1], c: true } })))
    const issues = body["issues"] as ReadonlyArray<{ path: string; expected: string }>
    expect(issues.map((i) => i.path).sort()).toEqual(["a", "b[0]", "c"])
    expect(issues.find((i) => i.path === "b[0]")?.expected).toBe("String")
  })

  it("413 body_too_large over MAX_BODY_BYTES", async () => {
    const small = makeApp({ MAX_BODY_BYTES: "100" })
    try {
      const r = await small.fetch("/execute", post({ source: hello, inputs: { text: "x".repeat(200) } }))
      expect(r.status).toBe(413)
      expect(await errorOf(r)).toMatchObject({ error: "body_too_large", limit: 100 })
    } finally {
      await small.dispose()
    }
  })
})

describe("compressed request bodies (Content-Encoding)", () => {
  const json = JSON.stringify({ source: hello, inputs: { text: "zipped" } })
  const compressed = (encoding: string, bytes: Uint8Array): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json", "content-encoding": encoding },
    body: new Uint8Array(bytes)
  })

  it.each([
    ["gzip", gzipSync(json)],
    ["deflate", deflateSync(json)],
    ["deflate", deflateRawSync(json)],
    ["br", brotliCompressSync(json)],
    ["gzip, br", brotliCompressSync(gzipSync(json))],
    ["identity", Buffer.from(json)]
  ])("reads a body sent as %s", async (encoding, bytes) => {
    const r = await app.fetch("/execute", compressed(encoding, bytes))
    expect(r.status).toBe(200)
    expect(Schema.decodeUnknownSync(BatchResponse)(await r.json()).outputs).toEqual({ upper: "ZIPPED" })
  })

  it("415 for an encoding it cannot undo, before reading the body", async () => {
    const r = await app.fetch("/execute", compressed("zstd", Buffer.from(json)))
    expect(r.status).toBe(415)
    expect(await errorOf(r)).toMatchObject({ error: "unsupported_media_type", message: expect.stringContaining("\"zstd\"") })
  })

  it("415 for more than four codings (each could expand the body to the limit again)", async () => {
    let bytes: Uint8Array = Buffer.from(json)
    for (let i = 0; i < 5; i++) bytes = gzipSync(bytes)
    const r = await app.fetch("/execute", compressed("gzip, gzip, gzip, gzip, gzip", bytes))
    expect(r.status).toBe(415)
    expect(await errorOf(r)).toMatchObject({ error: "unsupported_media_type", message: expect.stringContaining("at most 4") })
  })

  it("400 malformed_json for bytes that are not what the encoding says", async () => {
    const r = await app.fetch("/execute", compressed("gzip", Buffer.from(json)))
    expect(r.status).toBe(400)
    expect(await errorOf(r)).toMatchObject({ error: "malformed_json", message: "The request body is not valid gzip data." })
  })

  it("413 when the body is over MAX_BODY_BYTES once decompressed (a small bomb)", async () => {
    const small = makeApp({ MAX_BODY_BYTES: "1000" })
    try {
      const bomb = gzipSync(JSON.stringify({ source: hello, inputs: { text: "x".repeat(100_000) } }))
      expect(bomb.byteLength).toBeLessThan(1000)
      const r = await small.fetch("/execute", compressed("gzip", bomb))
      expect(r.status).toBe(413)
      expect(await errorOf(r)).toMatchObject({ error: "body_too_large", limit: 1000 })
    } finally {
      await small.dispose()
    }
  })
})

describe("POST /execute/stream", () => {
  it("sends the SSE headers and one event per output, the last one `complete`", async () => {
    const source = "in t: String\na = Uppercase(t)\nb = Lowercase(t)\nout a\nout b\n"
    const r = await app.fetch("/execute/stream", post({ source, inputs: { t: "Hi" } }))
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toBe("text/event-stream")
    expect(r.headers.get("cache-control")).toBe("no-cache, no-transform")
    expect(r.headers.get("x-accel-buffering")).toBe("no")
    const executionId = r.headers.get("x-execution-id")
    const { events } = await readAll(r)
    expect(events.map((e) => [e.event, e.id])).toEqual([["output", "a"], ["complete", "b"]])
    expect(events.map((e) => e.data)).toEqual([
      { executionId, seq: 0, name: "a", value: "HI", timestamp: expect.any(Number), isFinal: false, fromFallback: false },
      { executionId, seq: 1, name: "b", value: "hi", timestamp: expect.any(Number), isFinal: true, fromFallback: false }
    ])
  })

  it("sends a failed output as `error` with its error info", async () => {
    const { events } = await readAll(await app.fetch("/execute/stream", post({ source: partial, inputs: { text: "x" } })))
    const failed = events.find((e) => e.event === "error")
    expect(failed?.id).toBe("bad")
    expect(Object.keys(failed?.data ?? {}).sort()).toEqual(["error", "executionId", "isFinal", "name", "seq", "timestamp"])
    expect(failed?.data["error"]).toMatchObject({ code: "invalid_argument", module: "Delay" })
    expect(events.at(-1)?.data["isFinal"]).toBe(true)
  })

  it("ends with a final `error` naming the missing outputs when the deadline passes", async () => {
    const { events } = await readAll(await app.fetch("/execute/stream", post({ source: slow, inputs: { text: "x" }, deadlineMs: 30 })))
    expect(events).toHaveLength(1)
    expect(events[0]?.event).toBe("error")
    expect(events[0]?.id).toBeUndefined()
    expect(events[0]?.data).toEqual({
      executionId: expect.any(String),
      seq: 0,
      timestamp: expect.any(Number),
      error: { code: "deadline_exceeded", message: expect.any(String), module: null },
      missing: ["late"],
      isFinal: true
    })
  })

  it("interleaves module and progress events with `progress: true`, every payload matching its Schema", async () => {
    const source = "in t: String\na = Delay(t, 5)\nb = Delay(Uppercase(t), 20)\nout a\nout b\n"
    const { events } = await readAll(await app.fetch("/execute/stream", post({ source, inputs: { t: "x" }, progress: true })))
    const names = events.map((e) => e.event)
    expect(names).toContain("module-started")
    expect(names).toContain("module-completed")
    expect(names).toContain("progress")
    expect(names.at(-1)).toBe("complete")
    expect(names.indexOf("output")).toBeLessThan(names.lastIndexOf("module-completed"))
    expect(events.map((e) => e.data["seq"])).toEqual(events.map((_, i) => i))
    for (const e of events) expect(Schema.is(StreamEvent)({ event: e.event as EventName, data: e.data })).toBe(true)
    const completed = events.find((e) => e.event === "module-completed")
    expect(completed?.data).toMatchObject({ module: expect.any(String), node: expect.any(Number), latencyMs: expect.any(Number) })
    expect(events.filter((e) => e.event === "progress").at(-1)?.data).toMatchObject({ completed: 3, total: 3 })
  })

  it("reports a call per element once, with its number of calls, and a failed element by its index, every payload matching its Schema", async () => {
    const source = "in waits: List<Int>\nin labels: List<String>\nok = map(labels, (l) => Delay(l, 2))\nbad = map(waits, (ms) => Delay(ms, ms))\nout ok\nout bad\n"
    const { events } = await readAll(await app.fetch("/execute/stream", post({ source, inputs: { waits: [1, 2, -1], labels: ["a", "b"] }, progress: true })))
    for (const e of events) expect(Schema.is(StreamEvent)({ event: e.event as EventName, data: e.data })).toBe(true)
    const completed = events.filter((e) => e.event === "module-completed")
    expect(completed.map((e) => e.data)).toEqual([expect.objectContaining({ module: "Delay", calls: 2 })])
    const failed = events.filter((e) => e.event === "module-failed")
    expect(failed.map((e) => e.data["error"])).toEqual([expect.objectContaining({ code: "invalid_argument", module: "Delay", element: 2 })])
    const error = events.find((e) => e.event === "error" && e.id === "bad")
    expect(error?.data["error"]).toMatchObject({ code: "invalid_argument", module: "Delay", element: 2 })
    expect(events.filter((e) => e.event === "module-started")).toHaveLength(2)
    expect(events.filter((e) => e.event === "progress").at(-1)?.data).toMatchObject({ completed: 2, total: 2 })
  })

  it("reports module retries", async () => {
    const source = "in id: String\np = FlakyService(id) with retry: 3\nout p\n"
    const { events } = await readAll(await app.fetch("/execute/stream", post({ source, inputs: { id: "u" }, progress: true })))
    const retries = events.filter((e) => e.event === "module-retrying")
    expect(retries.length).toBeGreaterThan(0)
    expect(retries[0]?.data).toMatchObject({ module: "FlakyService", attempt: 2, error: { code: "service_unavailable" } })
  })

  it("refuses at once with 503 and Retry-After over MAX_CONCURRENT_EXECUTIONS", async () => {
    const one = makeApp({ MAX_CONCURRENT_EXECUTIONS: "1", RETRY_AFTER_SECONDS: "2" })
    try {
      const first = await one.fetch("/execute/stream", post({ source: slow, inputs: { text: "x" } }))
      const reader = eventsOf(first)
      const started = performance.now()
      const second = await one.fetch("/execute", post({ source: hello, inputs: { text: "x" } }))
      expect(performance.now() - started).toBeLessThan(500)
      expect(second.status).toBe(503)
      expect(second.headers.get("retry-after")).toBe("2")
      expect(await errorOf(second)).toMatchObject({ error: "over_capacity", retryAfterSeconds: 2 })
      await reader.return(undefined)
    } finally {
      await one.dispose()
    }
  })
})
