/**
 * Module faults: a module that fails, throws, dies, hangs past its timeout
 * (or the execution's deadline) or returns a value of the wrong type makes
 * an error event for its own outputs (and `upstream_failed` for what
 * depends on them); every other output still arrives, the stream ends with
 * exactly one final event, no response reveals the defect's detail (it goes
 * to the log), and the server stays healthy with nothing left running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { http, sse, wsConnect } from "./support/clients.js"
import { faultModules, SECRET, SECRET_PATH } from "./support/faultModules.js"
import { eventually } from "./support/measure.js"
import { expectedOutputs, faultPipeline, moduleFaults } from "./support/scenarios/moduleFaults.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"
import { inProcess } from "./support/target.js"

const expected = expectedOutputs("x")
const outputCount = Object.keys(expected).length
const pipeline = faultPipeline

let server: ReliabilityServer
beforeAll(async () => {
  server = await startServer({ modules: faultModules })
})
afterAll(() => server.close())

const noSecrets = (text: string) => {
  expect(text).not.toContain(SECRET)
  expect(text).not.toContain(SECRET_PATH)
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/)
}

const settled = async () => {
  expect(await eventually(2_000, async () => {
    const e = await server.engine()
    return e.activeExecutions === 0 && e.runningModules === 0
  })).toBe(true)
  expect(await server.metric("constellation_active_executions")).toBe(0)
  const health = await http(`${server.url}/health/ready`)
  expect(health.status).toBe(200)
}

describe("module faults", () => {
  it("over SSE: each fault is an error event for its outputs, the rest of the pipeline goes on", async () => {
    const r = await sse(`${server.url}/execute/stream`, JSON.stringify({ source: pipeline, inputs: { t: "x" } }), { timeoutMs: 10_000 })
    expect(r.status).toBe(200)
    expect(r.timedOut).toBe(false)
    expect(r.events.map((e) => e.data["seq"])).toEqual([...Array(outputCount).keys()])
    expect(r.events.filter((e) => e.data["isFinal"] === true)).toHaveLength(1)
    expect(r.events.at(-1)?.data["isFinal"]).toBe(true)
    const byName = new Map(r.events.map((e) => [e.data["name"] as string, e.data]))
    expect([...byName.keys()].sort()).toEqual(Object.keys(expected).sort())
    for (const [name, want] of Object.entries(expected)) {
      const got = byName.get(name)!
      if (want.code === undefined) expect(got["value"], name).toEqual(want.value)
      else expect((got["error"] as { code: string }).code, name).toBe(want.code)
    }
    noSecrets(JSON.stringify(r.events))
    // The details went to the log instead.
    expect(server.logs.some((l) => l.level === "ERROR" && l.message.includes("crashed"))).toBe(true)
    await settled()
  })

  it("as a batch: partial, with every error by output, and nothing revealed", async () => {
    const r = await http(`${server.url}/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ source: pipeline, inputs: { t: "x" } })
    })
    expect(r.status, r.body).toBe(200)
    const body = JSON.parse(r.body) as { status: string; outputs: Record<string, unknown>; errors: Record<string, { code: string }> }
    expect(body.status).toBe("partial")
    expect(body.outputs).toEqual({ first: "X", rescued: "safe", late: "x!" })
    for (const [name, want] of Object.entries(expected)) if (want.code !== undefined) expect(body.errors[name]?.code, name).toBe(want.code)
    noSecrets(r.body)
    await settled()
  })

  it("over a WebSocket: the same, and the socket stays usable", async () => {
    const c = await wsConnect(`${server.wsUrl}/execute/ws`)
    try {
      c.ws.send(JSON.stringify({ id: "f", source: pipeline, inputs: { t: "x" } }))
      await c.until((f) => f["id"] === "f" && f["isFinal"] === true, 10_000)
      expect(c.frames.filter((f) => f["id"] === "f")).toHaveLength(outputCount)
      c.ws.send(JSON.stringify({ id: "g", source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "y" } }))
      expect(await c.until((f) => f["id"] === "g")).toMatchObject({ type: "complete", value: "Y" })
      noSecrets(JSON.stringify(c.frames))
    } finally {
      c.ws.close()
    }
    await settled()
  })

  it("a module hanging without a timeout is ended by the execution's deadline; the others arrive first", async () => {
    const source = "in t: String\nquick = Uppercase(t)\nstuck = Hangs(t)\nstuck2 = HangsPromise(t)\nout quick\nout stuck\nout stuck2"
    const r = await sse(`${server.url}/execute/stream`, JSON.stringify({ source, inputs: { t: "x" }, deadlineMs: 150 }), { timeoutMs: 5_000 })
    expect(r.events.map((e) => e.event)).toEqual(["output", "error"])
    expect(r.events[1]?.data).toMatchObject({ error: { code: "deadline_exceeded" }, missing: ["stuck", "stuck2"], isFinal: true })
    await settled()
  })

  it("sixty fault pipelines, twenty at a time over SSE, batch and WebSocket: all right, none leaks a module or an execution", async () => {
    const report = await moduleFaults(inProcess(server), { executions: 60, concurrency: 20 })
    console.log(`module faults: ${JSON.stringify(report)}`)
    expect(report.wrong).toEqual([])
    expect(report.outputsChecked).toBe(60 * outputCount)
    expect(report.leftover).toEqual({ engineExecutions: 0, runningModules: 0 })
    await settled()
  }, 30_000)
})
