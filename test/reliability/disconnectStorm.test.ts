/**
 * Disconnect storm (quick size; `npm run soak` runs a larger one): streaming
 * clients that go away at random moments leave nothing running, memory
 * returns near its baseline, and nothing unexpected is logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { http } from "./support/clients.js"
import { disconnectStorm } from "./support/scenarios/disconnectStorm.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"
import { inProcess } from "./support/target.js"

let server: ReliabilityServer
beforeAll(async () => {
  // Finished executions stay readable (the default retention, 5 min) for the
  // resuming clients, whose first read may come seconds late on a loaded
  // machine; the heap check subtracts what they hold by design.
  server = await startServer({ env: { MAX_CONCURRENT_EXECUTIONS: "2000" } })
})
afterAll(() => server.close())

describe("disconnect storm", () => {
  it("hundreds of clients leaving at random moments leave no execution, module or stream behind", async () => {
    const seed = Number(process.env["STORM_SEED"] ?? Date.now() % 100_000)
    const report = await disconnectStorm(inProcess(server), { sse: 160, ws: 30, raw: 30, resume: 30, seed, windowMs: 400, maxAbortMs: 1_200 })
    console.log(`disconnect storm (seed ${seed}): ${JSON.stringify({ ...report, logs: report.logs.length })}`)
    expect(report.unexpected).toEqual([])
    expect(report.leftover).toEqual({ activeExecutions: 0, engineExecutions: 0, runningModules: 0, sseStreams: 0, wsStreams: 0, retainedRunning: 0 })
    expect(report.modulesInterrupted).toBeGreaterThan(0)
    expect(report.disconnectsCounted).toBeGreaterThan(0)
    expect(report.logs).toEqual([])
    // Generous: the test process also holds the clients' garbage and vitest's own state.
    expect(report.after.heapMiB - report.before.heapMiB - report.retainedBytes / 2 ** 20).toBeLessThan(25)
    expect((await http(`${server.url}/health/ready`)).status).toBe(200)
    const ok = await http(`${server.url}/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "still here" } })
    })
    expect(JSON.parse(ok.body)).toMatchObject({ status: "completed", outputs: { u: "STILL HERE" } })
  }, 60_000)
})
