/**
 * Slow consumers (quick size; `npm run soak` runs a larger one): a client
 * that stops reading a stream of thousands of outputs holds the execution
 * back instead of making the server buffer it, and still receives every
 * output exactly once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { slowConsumer } from "./support/scenarios/slowConsumer.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"
import { inProcess } from "./support/target.js"

let server: ReliabilityServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("slow consumer", () => {
  for (const transport of ["sse", "websocket"] as const) {
    it(`${transport}: 2000 outputs of 8 KiB, a 1.5 s stall, then slow reads: bounded, complete, in order`, async () => {
      const report = await slowConsumer(inProcess(server), {
        transport,
        outputs: 2_000,
        valueBytes: 8 * 1024,
        pauseMs: 1_500,
        readDelayMs: 1,
        timeoutMs: 40_000
      })
      console.log(`slow consumer: ${JSON.stringify(report)}`)
      // The server stopped well short of the end while the client did not read ...
      expect(report.stalled).toBe(true)
      expect(report.sentAfterPause).toBeLessThan(report.outputs / 2)
      // ... and did not hold the stream in memory (it is ~16 MiB; what grows is the execution's bookkeeping).
      const grown = (m: typeof report.before) => m.heapMiB + m.externalMiB
      expect(grown(report.duringPause) - grown(report.before)).toBeLessThan(report.streamMiB / 2)
      expect({ received: report.received, duplicates: report.duplicates, missing: report.missing, outOfOrder: report.outOfOrder })
        .toEqual({ received: 2_000, duplicates: 0, missing: 0, outOfOrder: 0 })
      expect(report.finalEvent).toBe("complete")
      const engine = await server.engine()
      expect(engine.activeExecutions).toBe(0)
    }, 50_000)
  }
})
