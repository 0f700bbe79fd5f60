/**
 * The cluster-wide admission limit (`CLUSTER_MAX_CONCURRENT_EXECUTIONS`):
 * two instances with a limit of 2 admit two executions between them, not
 * four; the next is refused on either with 503 `over_capacity` and
 * `Retry-After`; a slot freed on one instance is usable on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestServer } from "../http/support/server.js"
import { post } from "../http/support/sse.js"
import { json, startInstance } from "./support/cluster.js"
import { skipReason, startRedis } from "./support/redisServer.js"
import type { RedisServer } from "./support/redisServer.js"

const skip = skipReason()
const slow = "in text: String\nlate = Delay(Uppercase(text), 20000)\nout late\n"

let redis: RedisServer
let a: TestServer
let b: TestServer
beforeAll(async () => {
  if (skip !== undefined) return
  redis = await startRedis()
  const prefix = `limit${Date.now()}:`
  // A claim outlives a missed heartbeat or two on a loaded machine.
  const env = { CLUSTER_MAX_CONCURRENT_EXECUTIONS: "2", INSTANCE_HEARTBEAT_MS: "200", INSTANCE_TTL_MS: "3000" }
  a = await startInstance(redis.url, "a", prefix, env)
  b = await startInstance(redis.url, "b", prefix, env)
})
afterAll(async () => {
  if (skip !== undefined) return
  await a?.close()
  await b?.close()
  await redis?.close()
})

describe.skipIf(skip !== undefined)("a cluster-wide limit of 2", () => {
  it("admits two executions across the instances, refuses the third on either, and admits again once one ends", { timeout: 30_000 }, async () => {
    const first = await json(`${a.url}/executions`, post({ source: slow, inputs: { text: "1" } }))
    const second = await json(`${b.url}/executions`, post({ source: slow, inputs: { text: "2" } }))
    expect([first.status, second.status]).toEqual([201, 201])
    for (const server of [a, b]) {
      const refused = await json(`${server.url}/executions`, post({ source: slow, inputs: { text: "3" } }))
      expect(refused.status).toBe(503)
      expect(refused.body["error"]).toBe("over_capacity")
      expect(String(refused.body["message"])).toContain("cluster")
      expect(refused.headers.get("retry-after")).toBe("1")
      // The batch path counts too.
      expect((await json(`${server.url}/execute`, post({ source: slow, inputs: { text: "3" } }))).status).toBe(503)
    }
    // A batch run holds its claim as long as it runs (past the claims' expiry: the heartbeat renews them).
    expect((await json(`${b.url}/executions/${String(second.body["executionId"])}`, { method: "DELETE" })).status).toBe(200)
    const batch = fetch(`${a.url}/execute`, post({ source: "in text: String\nlate = Delay(Uppercase(text), 4000)\nout late\n", inputs: { text: "b" } }))
    await new Promise((resolve) => setTimeout(resolve, 3_500))
    for (const server of [a, b]) {
      expect((await json(`${server.url}/executions`, post({ source: slow, inputs: { text: "4" } }))).status).toBe(503)
    }
    expect((await batch).status).toBe(200)
    // Cancelled from B (it runs on A): its slot is free for B.
    expect((await json(`${b.url}/executions/${String(first.body["executionId"])}`, { method: "DELETE" })).status).toBe(200)
    const third = await json(`${b.url}/executions`, post({ source: slow, inputs: { text: "3" } }))
    expect(third.status).toBe(201)
    for (const created of [third]) {
      expect((await json(`${a.url}/executions/${String(created.body["executionId"])}`, { method: "DELETE" })).status).toBe(200)
    }
  })
})
