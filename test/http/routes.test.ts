/**
 * In-process tests of the catalogue, compile, health, docs and metrics
 * routes, and of the answers every route shares: request ids, 404, 405.
 */
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CompileResponse, ExamplesResponse, ModulesResponse } from "../../src/protocol/api.js"
import { ErrorBody } from "../../src/protocol/errors.js"
import { makeApp } from "./support/server.js"
import type { TestApp } from "./support/server.js"
import { post } from "./support/sse.js"

let app: TestApp
beforeAll(() => {
  app = makeApp()
})
afterAll(() => app.dispose())

const json = async (r: Response): Promise<unknown> => r.json() as Promise<unknown>
const errorOf = async (r: Response) => Schema.decodeUnknownSync(ErrorBody)(await json(r))

describe("health", () => {
  it("GET /health is 200 {status: ok}", async () => {
    const r = await app.fetch("/health")
    expect(r.status).toBe(200)
    expect(await json(r)).toEqual({ status: "ok" })
  })

  it("GET /health/ready is 200 while serving", async () => {
    const r = await app.fetch("/health/ready")
    expect(r.status).toBe(200)
    expect(await json(r)).toEqual({ status: "ready", activeExecutions: 0 })
  })
})

describe("request ids", () => {
  it("generates one when absent and echoes it", async () => {
    const r = await app.fetch("/health")
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("honours the client's and puts it in error bodies", async () => {
    const r = await app.fetch("/nowhere", { headers: { "x-request-id": "req-42" } })
    expect(r.headers.get("x-request-id")).toBe("req-42")
    expect((await errorOf(r)).requestId).toBe("req-42")
  })
})

describe("unknown routes and methods", () => {
  it("404 not_found as JSON", async () => {
    const r = await app.fetch("/nowhere")
    expect(r.status).toBe(404)
    expect(r.headers.get("content-type")).toContain("application/json")
    expect(await errorOf(r)).toMatchObject({ error: "not_found", path: "/nowhere" })
  })

  it("405 method_not_allowed with Allow", async () => {
    const r = await app.fetch("/execute", { method: "GET" })
    expect(r.status).toBe(405)
    expect(r.headers.get("allow")).toBe("POST")
    expect(await errorOf(r)).toMatchObject({ error: "method_not_allowed", allowed: ["POST"] })
    const d = await app.fetch("/health", { method: "DELETE" })
    expect(d.status).toBe(405)
    expect(d.headers.get("allow")).toBe("GET, HEAD")
  })

  it("405 ignores the query string", async () => {
    const r = await app.fetch("/compile?x=1", { method: "PUT" })
    expect(r.status).toBe(405)
  })

  it("426 upgrade_required for a plain GET of the WebSocket endpoint", async () => {
    const r = await app.fetch("/execute/ws")
    expect(r.status).toBe(426)
    expect(r.headers.get("upgrade")).toBe("websocket")
    expect((await errorOf(r)).error).toBe("upgrade_required")
  })
})

describe("GET /modules", () => {
  it("lists every module with typed parameters and result", async () => {
    const body = Schema.decodeUnknownSync(ModulesResponse)(await json(await app.fetch("/modules")))
    const upper = body.modules.find((m) => m.name === "Uppercase")
    expect(upper).toMatchObject({
      parameters: [{ name: "text", type: "String" }],
      result: "String",
      signature: "Uppercase(text: String): String"
    })
    expect(body.modules.find((m) => m.name === "SumList")?.parameters).toEqual([{ name: "numbers", type: "List<Float>" }])
  })
})

describe("GET /examples", () => {
  it("lists the examples with their sources and refs", async () => {
    const body = Schema.decodeUnknownSync(ExamplesResponse)(await json(await app.fetch("/examples")))
    const fanOut = body.examples.find((e) => e.name === "fan-out")
    expect(fanOut?.source).toContain("Delay")
    expect(fanOut?.ref).toMatch(/^sha256:/)
  })
})

describe("POST /compile", () => {
  it("gives the ref, typed inputs and outputs, the module calls and the DAG", async () => {
    const source = "in xs: List<Int>\nin label: Optional<String>\ntotal = SumList(xs)\nout total\nout xs\n"
    const r = await app.fetch("/compile", post({ source }))
    expect(r.status).toBe(200)
    const body = Schema.decodeUnknownSync(CompileResponse)(await json(r))
    expect(body.ref).toMatch(/^sha256:/)
    expect(body.inputs).toEqual({ xs: "List<Int>", label: "Optional<String>" })
    expect(body.outputs).toEqual({ total: "Float", xs: "List<Int>" })
    expect(body.modules).toEqual([{ node: 0, module: "SumList", line: 3, column: 9 }])
    expect(body.dag.hash).toBe(body.ref)
    expect(body.examples).toEqual({})
  })

  it("gives the literal `@example` value of each input (the dashboard pre-fills its form with them)", async () => {
    const source = "@example(\"constellation\")\nin query: String\n@example({a: [1, 2]})\nin r: {a: List<Int>}\n@example(1 + 2)\nin n: Int\nout query\nout r\nout n\n"
    const r = await app.fetch("/compile", post({ source }))
    expect(r.status).toBe(200)
    const body = Schema.decodeUnknownSync(CompileResponse)(await json(r))
    expect(body.examples).toEqual({ query: "constellation", r: { a: [1, 2] } })
  })

  it("400 compile_error with every diagnostic and its position", async () => {
    const r = await app.fetch("/compile", post({ source: "in x: Int\ny = Nope(x)\nz = w\nout y\nout z\n" }))
    expect(r.status).toBe(400)
    const body = await errorOf(r)
    expect(body.error).toBe("compile_error")
    expect(body.message).toContain("does not compile")
    expect(body["diagnostics"]).toEqual([
      expect.objectContaining({ code: "E400", line: 2, column: 5, message: expect.any(String) }),
      expect.objectContaining({ code: "E200", line: 3, column: 5 })
    ])
  })

  it("400 invalid_request without a source", async () => {
    const r = await app.fetch("/compile", post({ src: "x" }))
    expect(r.status).toBe(400)
    expect(await errorOf(r)).toMatchObject({ error: "invalid_request", issues: [{ path: "source" }] })
  })

  it("413 source_too_large over MAX_SOURCE_BYTES", async () => {
    const small = makeApp({ MAX_SOURCE_BYTES: "64" })
    try {
      const r = await small.fetch("/compile", post({ source: `# ${"é".repeat(40)}\n${"in x: Int\nout x\n"}` }))
      expect(r.status).toBe(413)
      expect(await errorOf(r)).toMatchObject({ error: "source_too_large", limit: 64 })
    } finally {
      await small.dispose()
    }
  })

  it("400 dag_too_large over MAX_DAG_NODES", async () => {
    const small = makeApp({ MAX_DAG_NODES: "3" })
    try {
      const r = await small.fetch("/compile", post({ source: "in t: String\na = Uppercase(t)\nb = Lowercase(a)\nout b\n" }))
      expect(r.status).toBe(400)
      expect(await errorOf(r)).toMatchObject({ error: "dag_too_large", limit: 3 })
    } finally {
      await small.dispose()
    }
  })
})

describe("documentation", () => {
  it("GET /openapi.json documents every route", async () => {
    const spec = (await json(await app.fetch("/openapi.json"))) as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(spec.paths).sort()).toEqual([
      "/compile",
      "/examples",
      "/execute",
      "/execute/stream",
      "/execute/ws",
      "/executions",
      "/executions/{id}",
      "/executions/{id}/cancel",
      "/executions/{id}/events",
      "/health",
      "/health/ready",
      "/metrics",
      "/modules"
    ])
    expect(Object.keys(spec.paths["/execute/stream"] ?? {})).toEqual(["post"])
    expect(JSON.stringify(spec)).not.toContain("HttpApiDecodeError")
    const statuses = (path: string, method: string) =>
      Object.keys((spec.paths[path]?.[method] as { responses: Record<string, unknown> }).responses).sort()
    // Every status the server answers a route with is in its contract; the health checks stay public.
    expect(statuses("/execute", "post")).toEqual(["200", "400", "401", "403", "404", "413", "415", "503"])
    expect(statuses("/execute/stream", "post")).toEqual(["200", "400", "401", "403", "404", "413", "415", "503"])
    expect(statuses("/compile", "post")).toEqual(["200", "400", "401", "403", "413", "415"])
    expect(statuses("/modules", "get")).toEqual(["200", "401", "403"])
    expect(statuses("/health", "get")).toEqual(["200"])
    expect(statuses("/executions", "post")).toEqual(["201", "400", "401", "403", "404", "413", "415", "503"])
    expect(statuses("/executions/{id}", "get")).toEqual(["200", "401", "403", "404", "410"])
    expect(statuses("/executions/{id}", "delete")).toEqual(["200", "401", "403", "404", "410"])
    expect(statuses("/executions/{id}/events", "get")).toEqual(["200", "204", "401", "403", "404", "410"])
  })

  it("GET /docs serves the Swagger UI", async () => {
    const r = await app.fetch("/docs")
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toContain("text/html")
    expect(await r.text()).toContain("SwaggerUIBundle")
  })
})

describe("GET /metrics", () => {
  it("is Prometheus text with every family", async () => {
    await app.fetch("/execute", post({ source: "in t: String\nout t\n", inputs: { t: "x" } }))
    const r = await app.fetch("/metrics")
    expect(r.status).toBe(200)
    expect(r.headers.get("content-type")).toContain("text/plain; version=0.0.4")
    const text = await r.text()
    for (
      const family of [
        "constellation_executions_total",
        "constellation_active_executions",
        "constellation_active_streams",
        "constellation_events_sent_total",
        "constellation_client_disconnects_total",
        "constellation_module_duration_seconds_bucket",
        "constellation_modules_interrupted_total",
        "constellation_compile_cache_hits_total",
        "constellation_compile_cache_misses_total"
      ]
    ) expect(text).toContain(family)
    expect(text).toMatch(/constellation_executions_total\{mode="batch",status="completed"\} [1-9]/)
  })

  it("carries the process's figures: CPU time that only grows, memory, the heap, the event loop's delay", async () => {
    const value = (text: string, name: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${name} `))
      expect(line, name).toBeDefined()
      return Number(line!.slice(name.length + 1))
    }
    const first = await (await app.fetch("/metrics")).text()
    // Some CPU work between the scrapes.
    for (let i = 0; i < 20; i++) await app.fetch("/execute", post({ source: "in t: String\nout t\n", inputs: { t: "x" } }))
    const second = await (await app.fetch("/metrics")).text()
    expect(value(second, "process_cpu_seconds_total")).toBeGreaterThan(value(first, "process_cpu_seconds_total"))
    expect(value(second, "process_cpu_seconds_total")).toBeCloseTo(
      value(second, "process_cpu_user_seconds_total") + value(second, "process_cpu_system_seconds_total"), 5)
    expect(value(second, "process_resident_memory_bytes")).toBeGreaterThan(1e6)
    expect(value(second, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0)
    expect(value(second, "nodejs_heap_size_used_bytes")).toBeLessThanOrEqual(value(second, "nodejs_heap_size_total_bytes"))
    for (const space of ["new", "old", "code"]) {
      const total = value(second, `nodejs_heap_space_size_total_bytes{space="${space}"}`)
      expect(total).toBeGreaterThan(0)
      expect(value(second, `nodejs_heap_space_size_used_bytes{space="${space}"}`)).toBeLessThanOrEqual(total)
    }
    expect(Math.abs(value(second, "process_start_time_seconds") - (Date.now() / 1000 - process.uptime()))).toBeLessThan(5)
    for (const lag of ["nodejs_eventloop_lag_p50_seconds", "nodejs_eventloop_lag_p99_seconds", "nodejs_eventloop_lag_max_seconds"]) {
      expect(value(second, lag)).toBeGreaterThanOrEqual(0)
    }
    expect(second).toContain("# TYPE process_cpu_seconds_total counter")
  })
})
