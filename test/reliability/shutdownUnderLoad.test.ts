/**
 * Graceful shutdown under load (quick size; `npm run soak` runs a larger
 * one): SIGTERM to the real server process with hundreds of streams open.
 */
import { describe, expect, it } from "vitest"
import { shutdownUnderLoad } from "./support/scenarios/shutdownUnderLoad.js"

describe("graceful shutdown under load", () => {
  it("every stream gets its final event and the process exits 0 within the grace period", async () => {
    const graceMs = 2_000
    const report = await shutdownUnderLoad({ sse: 200, ws: 20, graceMs, timeoutMs: 40_000 })
    console.log(`shutdown under load: ${JSON.stringify(report)}`)
    expect(report.lost).toEqual([])
    expect(report.exitCode).toBe(0)
    expect(report.exitAfterMs).toBeLessThan(graceMs + 3_000)
    expect(report.refusedDuringDrain).toBe(5)
    expect(report.wsClosedWith1001).toBe(20)
    // A third of the streams finish within the grace period; the rest are ended by it.
    expect(report.finals["shutting_down"]).toBeGreaterThan(0)
    expect(report.finals["complete"]).toBeGreaterThan(0)
  }, 60_000)
})
