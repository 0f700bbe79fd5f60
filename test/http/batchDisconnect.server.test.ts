/**
 * A batch client (`POST /execute`) that goes away: its execution is
 * interrupted, counted as a disconnect and as `cancelled`, and its
 * admission slot and the engine's count of active executions are free
 * again. A batch that completes is counted `completed`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as metrics from "../support/metrics.js"
import { hello, slow } from "./support/pipelines.js"
import { startServer } from "./support/server.js"
import type { TestServer } from "./support/server.js"

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** A labelled counter appears with its first count: 0 until then. */
const metric = (name: string): Promise<number> => metrics.metric(server.url, name, name.includes("_total{") ? 0 : undefined)
const post = (body: unknown, signal?: AbortSignal): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
  signal: signal ?? AbortSignal.timeout(10_000)
})

describe("a batch request", () => {
  it("that completes is counted completed, and frees its slot", async () => {
    const before = await metric(`constellation_executions_total{mode="batch",status="completed"}`)
    const response = await fetch(`${server.url}/execute`, post({ source: hello, inputs: { text: "hi" } }))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: "completed", outputs: { upper: "HI" } })
    expect(await metric(`constellation_executions_total{mode="batch",status="completed"}`)).toBe(before + 1)
    expect(await metric("constellation_active_executions")).toBe(0)
    expect(await metric("constellation_engine_active_executions")).toBe(0)
  })

  it("whose client goes away is interrupted, counted as a disconnect and cancelled, and frees its slot", async () => {
    const disconnects = await metric(`constellation_client_disconnects_total{transport="batch"}`)
    const cancelled = await metric(`constellation_executions_total{mode="batch",status="cancelled"}`)
    const abort = new AbortController()
    const answered = fetch(`${server.url}/execute`, post({ source: slow, inputs: { text: "x" } }, abort.signal))
    // Running: admitted, and its module started.
    await metrics.within(5_000, async () => (await metric("constellation_modules_running")) === 1)
    expect(await metric("constellation_active_executions")).toBe(1)
    expect(await metric("constellation_engine_active_executions")).toBe(1)

    abort.abort()
    await expect(answered).rejects.toThrow()
    // `within` throws when the condition does not hold in time.
    await metrics.within(2_000, async () =>
      (await metric(`constellation_client_disconnects_total{transport="batch"}`)) === disconnects + 1 &&
      (await metric("constellation_active_executions")) === 0
    )
    expect(await metric(`constellation_executions_total{mode="batch",status="cancelled"}`)).toBe(cancelled + 1)
    expect(await metric("constellation_engine_active_executions")).toBe(0)
    expect(await metric("constellation_modules_running")).toBe(0)
  })
})
