/**
 * The reliability suites (disconnect storm, slow consumer, bad input) with
 * the Redis store (`REDIS_URL` set): the same scenarios and the same
 * assertions as test/reliability, at a smaller size so the suite's time
 * does not double. (`RELIABILITY_REDIS_URL=redis://127.0.0.1:6379 npx vitest run test/reliability`
 * runs the full-size suites with Redis too.) Every execution is written to
 * Redis alongside; none of that may slow, lose or leak anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { http } from "../reliability/support/clients.js"
import { disconnectStorm } from "../reliability/support/scenarios/disconnectStorm.js"
import { fuzz } from "../reliability/support/scenarios/fuzz.js"
import { slowConsumer } from "../reliability/support/scenarios/slowConsumer.js"
import { startServer } from "../reliability/support/server.js"
import type { ReliabilityServer } from "../reliability/support/server.js"
import { inProcess } from "../reliability/support/target.js"
import { clusterEnv } from "./support/cluster.js"
import { skipReason, startRedis } from "./support/redisServer.js"
import type { RedisServer } from "./support/redisServer.js"

const skip = skipReason()
const MAX_BODY_BYTES = 64 * 1024

let redis: RedisServer
let server: ReliabilityServer
/** With the settings of test/reliability/fuzz.test.ts. */
let fuzzed: ReliabilityServer
beforeAll(async () => {
  if (skip !== undefined) return
  redis = await startRedis()
  server = await startServer({ env: { ...clusterEnv(redis.url, "reliability", `rel${Date.now()}:`), MAX_CONCURRENT_EXECUTIONS: "2000" } })
  fuzzed = await startServer({
    env: { ...clusterEnv(redis.url, "fuzzed", `fuzz${Date.now()}:`), MAX_BODY_BYTES: String(MAX_BODY_BYTES), EXECUTION_DEADLINE_MS: "2000" }
  })
})
afterAll(async () => {
  if (skip !== undefined) return
  await server?.close()
  await fuzzed?.close()
  await redis?.close()
})

describe.skipIf(skip !== undefined)("reliability with the Redis store", () => {
  it("disconnect storm: clients leaving at random moments leave no execution, module or stream behind", async () => {
    const seed = Number(process.env["STORM_SEED"] ?? Date.now() % 100_000)
    const report = await disconnectStorm(inProcess(server), { sse: 80, ws: 15, raw: 15, resume: 15, seed, windowMs: 400, maxAbortMs: 1_200 })
    console.log(`disconnect storm on Redis (seed ${seed}): ${JSON.stringify({ ...report, logs: report.logs.length })}`)
    expect(report.unexpected).toEqual([])
    expect(report.leftover).toEqual({ activeExecutions: 0, engineExecutions: 0, runningModules: 0, sseStreams: 0, wsStreams: 0, retainedRunning: 0 })
    expect(report.logs).toEqual([])
    expect(report.after.heapMiB - report.before.heapMiB - report.retainedBytes / 2 ** 20).toBeLessThan(25)
    expect((await http(`${server.url}/health/ready`)).status).toBe(200)
  }, 60_000)

  it("slow consumer (SSE): 1000 outputs of 8 KiB, a stall, slow reads: bounded, complete, in order", async () => {
    const report = await slowConsumer(inProcess(server), {
      transport: "sse",
      outputs: 1_000,
      valueBytes: 8 * 1024,
      pauseMs: 1_500,
      readDelayMs: 1,
      timeoutMs: 40_000
    })
    console.log(`slow consumer on Redis: ${JSON.stringify(report)}`)
    expect(report.stalled).toBe(true)
    expect(report.sentAfterPause).toBeLessThan(report.outputs / 2)
    const grown = (m: typeof report.before) => m.heapMiB + m.externalMiB
    expect(grown(report.duringPause) - grown(report.before)).toBeLessThan(report.streamMiB / 2)
    expect({ received: report.received, duplicates: report.duplicates, missing: report.missing, outOfOrder: report.outOfOrder })
      .toEqual({ received: 1_000, duplicates: 0, missing: 0, outOfOrder: 0 })
    expect(report.finalEvent).toBe("complete")
    expect((await server.engine()).activeExecutions).toBe(0)
  }, 50_000)

  it("bad input: never a 5xx, a hang or a leak of internals", async () => {
    const seed = Number(process.env["FUZZ_SEED"] ?? Date.now() % 1_000_000)
    const report = await fuzz(inProcess(fuzzed), { numRuns: 75, seed, maxBodyBytes: MAX_BODY_BYTES, timeoutMs: 10_000 })
    console.log(`fuzz on Redis (seed ${seed}): ${JSON.stringify(report)}`)
    expect(report.failures).toEqual([])
    expect((await http(`${fuzzed.url}/health/ready`)).status).toBe(200)
    expect((await fuzzed.engine()).runningModules).toBe(0)
    expect(fuzzed.logs.filter((l) => l.level === "ERROR" || l.level === "FATAL")).toEqual([])
  }, 60_000)
})
