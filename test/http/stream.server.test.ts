/**
 * Server-Sent Events against a real server listening on 127.0.0.1, read
 * with a real SSE client library: outputs arrive as they are ready, in
 * order, with the exact fields of the contract, keepalives in the quiet
 * periods; a client that goes away
 * interrupts its execution within milliseconds.
 */
import * as metrics from "../support/metrics.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fanOut, quickThenSlow } from "./support/pipelines.js"
import { startServer } from "./support/server.js"
import type { TestServer } from "./support/server.js"
import { eventsOf, post, readAll } from "./support/sse.js"

let server: TestServer
beforeAll(async () => {
  server = await startServer({ HEARTBEAT_INTERVAL_MS: "100" })
})
afterAll(() => server.close())

const metric = (name: string): Promise<number> => metrics.metric(server.url, name)
const { within } = metrics

describe("SSE over a real connection", () => {
  it("delivers the fan-out's first output long before its last, in order, with the exact fields", async () => {
    const started = performance.now()
    const response = await fetch(`${server.url}/execute/stream`, post({ source: fanOut(), inputs: { query: "a b c" } }))
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("text/event-stream")
    const executionId = response.headers.get("x-execution-id")
    const { events, comments } = await readAll(response)

    expect(events.map((e) => [e.event, e.id])).toEqual([["output", "quick"], ["output", "medium"], ["complete", "slow"]])
    for (const [i, e] of events.entries()) {
      expect(Object.keys(e.data).sort()).toEqual(["executionId", "fromFallback", "isFinal", "name", "seq", "timestamp", "value"])
      expect(e.data).toMatchObject({ executionId, seq: i, name: e.id, isFinal: i === events.length - 1 })
    }
    expect(events.map((e) => e.data["value"])).toEqual(["A B C", 3, "slow result for a b c"])
    const [first, , last] = events
    // `slow` takes 500 ms, `quick` 5 ms: the first must not have waited for the last.
    expect(last!.at - first!.at).toBeGreaterThan(300)
    expect(first!.at - started).toBeLessThan(last!.at - started - 300)
    // The stream opens with a comment; the ~450 ms of silence before `slow` get keepalives (every 100 ms here).
    expect(comments[0]?.trim()).toBe(`execution ${executionId}`)
    expect(comments.filter((c) => c.trim() === "keepalive").length).toBeGreaterThanOrEqual(2)
  })

  it("interrupts every running module within milliseconds when the client goes away after the first event", async () => {
    const interruptedBefore = await metric("constellation_modules_interrupted_total")
    const disconnectsBefore = await metric("constellation_client_disconnects_total{transport=\"sse\"}")
    const abort = new AbortController()
    const response = await fetch(`${server.url}/execute/stream`, {
      ...post({ source: quickThenSlow, inputs: { text: "x" } }),
      signal: abort.signal
    })
    const events = eventsOf(response)
    const first = await events.next()
    expect(first.value?.event).toBe("output")
    expect(await metric("constellation_modules_running")).toBe(1)

    abort.abort()
    await events.return(undefined).catch(() => undefined)
    const took = await within(1_000, async () =>
      (await metric("constellation_modules_interrupted_total")) > interruptedBefore &&
      (await metric("constellation_modules_running")) === 0
    )
    expect(took).toBeLessThan(500)
    expect(await metric("constellation_client_disconnects_total{transport=\"sse\"}")).toBe(disconnectsBefore + 1)
    expect(await metric("constellation_active_executions")).toBe(0)
    expect(await metric("constellation_active_streams{transport=\"sse\"}")).toBe(0)
  })
})
