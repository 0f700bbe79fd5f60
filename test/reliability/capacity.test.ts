/**
 * Capacity (quick size; `npm run soak` runs a larger one): over
 * `MAX_CONCURRENT_EXECUTIONS`, executions are refused at once with 503 and
 * `Retry-After`; those admitted run to their end; none hangs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { capacity } from "./support/scenarios/capacity.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"
import { inProcess } from "./support/target.js"

const LIMIT = 40

let server: ReliabilityServer
beforeAll(async () => {
  server = await startServer({ env: { MAX_CONCURRENT_EXECUTIONS: String(LIMIT), RETRY_AFTER_SECONDS: "2" } })
})
afterAll(() => server.close())

describe("capacity", () => {
  it("a burst of 4x the limit: the limit runs, the rest is refused at once with Retry-After", async () => {
    const report = await capacity(inProcess(server), { limit: LIMIT, sse: 80, batch: 40, ws: 40, executionMs: 4_000 })
    console.log(`capacity: ${JSON.stringify(report)}`)
    expect(report.unanswered).toBe(0)
    expect(report.admitted).toBe(LIMIT)
    expect(report.refused).toBe(report.requests - LIMIT)
    expect(report.malformedRefusals).toEqual([])
    expect(report.incomplete).toBe(0)
    // Refused while the admitted ones still ran (4 s): answered at once, not queued.
    expect(report.slowestRefusalMs).toBeLessThan(3_000)
    expect(report.rejectedCounted).toBe(report.refused)
    expect(report.leftoverExecutions).toBe(0)
    expect(report.peak.heapMiB - report.before.heapMiB).toBeLessThan(40)
  }, 40_000)
})
