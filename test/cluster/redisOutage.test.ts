/**
 * Redis stopped mid-run (SIGKILL) and started again, empty: the documented
 * behaviour. Meanwhile new executions are refused with 503
 * `store_unavailable` and `Retry-After`, `/health/ready` says why, and the
 * running execution finishes on its instance with its direct reader losing
 * nothing. Once Redis is back the instance is ready again without a
 * restart, what it ran meanwhile is written to Redis (readable from the
 * other instance), and nothing was left running or logged as an error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { post, readAll } from "../http/support/sse.js"
import { startServer } from "../reliability/support/server.js"
import type { ReliabilityServer } from "../reliability/support/server.js"
import { clusterEnv, json } from "./support/cluster.js"
import { skipReason, startRedis } from "./support/redisServer.js"
import type { RedisServer } from "./support/redisServer.js"

const skip = skipReason()

const fanOut = [
  "in query: String",
  "quick = Delay(Uppercase(query), 5)",
  "medium = Delay(WordCount(query), 400)",
  "slow = Delay(\"slow ${query}\", 900)",
  "out quick",
  "out medium",
  "out slow",
  ""
].join("\n")

let redis: RedisServer
let a: ReliabilityServer
let b: ReliabilityServer
beforeAll(async () => {
  if (skip !== undefined) return
  redis = await startRedis()
  const prefix = `outage${Date.now()}:`
  a = await startServer({ env: clusterEnv(redis.url, "a", prefix) })
  b = await startServer({ env: clusterEnv(redis.url, "b", prefix) })
})
afterAll(async () => {
  if (skip !== undefined) return
  await a?.close()
  await b?.close()
  await redis?.close()
})

const waitFor = async (what: string, check: () => Promise<boolean>, withinMs: number) => {
  const until = Date.now() + withinMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.skipIf(skip !== undefined)("Redis stopped mid-run, then started again", () => {
  it("refuses new executions meanwhile, finishes the running one locally, and recovers", async () => {
    const response = await fetch(`${a.url}/execute/stream`, post({ source: fanOut, inputs: { query: "through the outage" } }))
    expect(response.status).toBe(200)
    const reading = readAll(response)
    await redis.stop()

    // Refused, with the reason and when to retry.
    await waitFor("the refusal", async () => (await json(`${a.url}/health/ready`)).status === 503, 5_000)
    const ready = await json(`${a.url}/health/ready`)
    expect(ready.body["error"]).toBe("store_unavailable")
    expect(String(ready.body["message"])).toContain("Redis")
    const refused = await json(`${a.url}/executions`, post({ source: fanOut, inputs: { query: "refused" } }))
    expect(refused.status).toBe(503)
    expect(refused.body["error"]).toBe("store_unavailable")
    expect(refused.headers.get("retry-after")).toBe("1")
    const batch = await json(`${a.url}/execute`, post({ source: fanOut, inputs: { query: "refused" } }))
    expect(batch.status).toBe(503)

    // The direct reader loses nothing.
    const { events } = await reading
    const outputs = events.filter((e) => e.event === "output" || e.event === "complete").map((e) => e.data["name"])
    expect(outputs).toEqual(["quick", "medium", "slow"])
    expect(events[events.length - 1]!.event).toBe("complete")
    const executionId = String(events[0]!.data["executionId"])

    await redis.start()
    await waitFor("ready again", async () => (await json(`${a.url}/health/ready`)).status === 200 && (await json(`${b.url}/health/ready`)).status === 200, 10_000)
    // What ran meanwhile was written again: B reads it.
    await waitFor("the execution on B", async () => (await json(`${b.url}/executions/${executionId}`)).status === 200, 5_000)
    const onB = await json(`${b.url}/executions/${executionId}`)
    expect(onB.body).toMatchObject({ status: "completed", outputs: { medium: 3, quick: "THROUGH THE OUTAGE", slow: "slow through the outage" } })

    // New executions run, across instances too.
    const created = await json(`${a.url}/executions`, post({ source: fanOut, inputs: { query: "after" } }))
    expect(created.status).toBe(201)
    const after = await readAll(await fetch(`${b.url}/executions/${String(created.body["executionId"])}/events`))
    expect(after.events[after.events.length - 1]!.event).toBe("complete")

    // Nothing left running, nothing logged.
    for (const server of [a, b]) {
      expect(await server.metric("constellation_active_executions")).toBe(0)
      expect((await server.engine()).activeExecutions).toBe(0)
      expect(server.logs).toEqual([])
    }
  }, 60_000)
})
