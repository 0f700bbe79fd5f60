/**
 * API keys on two instances: the events link `POST /executions` gives on A
 * (`?token=`, for an `EventSource`, which cannot send the key) reads the
 * events on B too, and only that execution's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestServer } from "../http/support/server.js"
import { post, readAll } from "../http/support/sse.js"
import { json, startInstance } from "./support/cluster.js"
import { skipReason, startRedis } from "./support/redisServer.js"
import type { RedisServer } from "./support/redisServer.js"

const skip = skipReason()
const KEY = "cluster-test-key-0123456789"
const auth = { authorization: `Bearer ${KEY}` }
const source = "in t: String\nu = Delay(Uppercase(t), 100)\nout u\n"

let redis: RedisServer
let a: TestServer
let b: TestServer
beforeAll(async () => {
  if (skip !== undefined) return
  redis = await startRedis()
  const prefix = `tokens${Date.now()}:`
  a = await startInstance(redis.url, "a", prefix, { API_KEYS: KEY })
  b = await startInstance(redis.url, "b", prefix, { API_KEYS: KEY })
})
afterAll(async () => {
  if (skip !== undefined) return
  await a?.close()
  await b?.close()
  await redis?.close()
})

describe.skipIf(skip !== undefined)("event tokens across instances", () => {
  it("a token given by A reads that execution's events on B, and nothing else", async () => {
    const created = (await json(`${a.url}/executions`, post({ source, inputs: { t: "tok" } }, auth))).body
    const other = (await json(`${a.url}/executions`, post({ source, inputs: { t: "other" } }, auth))).body
    const events = String(created["events"])
    expect(events).toContain("?token=")
    const response = await fetch(`${b.url}${events}`)
    expect(response.status).toBe(200)
    const { events: received } = await readAll(response)
    expect(received[received.length - 1]!.data).toMatchObject({ name: "u", value: "TOK" })
    const token = events.split("token=")[1]!
    for (const path of [
      `/executions/${String(other["executionId"])}/events?token=${token}`,
      `/executions/${String(created["executionId"])}/events?token=${token.slice(1)}x`
    ]) {
      expect((await fetch(`${b.url}${path}`)).status, path).toBe(403)
    }
    // Without a key or a token: 401.
    expect((await fetch(`${b.url}/executions/${String(created["executionId"])}/events`)).status).toBe(401)
  })
})
