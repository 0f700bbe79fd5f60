/**
 * Losing an instance: A (its own process) is killed with SIGKILL mid-run.
 * Readers of its execution on B get the final `instance_lost` error, with
 * the output A had delivered kept and the other named missing, within the
 * documented time (INSTANCE_TTL_MS + INSTANCE_HEARTBEAT_MS after the last
 * heartbeat; here 600 + 100 ms, bounded generously for a loaded machine).
 * Nothing is left running anywhere: the lost instance's set is emptied.
 */
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createClient, isExecutionError, isFinal } from "../../src/client/index.js"
import type { StreamEvent } from "../../src/client/index.js"
import { INSTANCE_LOST } from "../../src/protocol/executions.js"
import type { TestServer } from "../http/support/server.js"
import { eventsOf, post } from "../http/support/sse.js"
import type { ReceivedEvent } from "../http/support/sse.js"
import { startChild } from "./support/childInstance.js"
import type { ChildInstance } from "./support/childInstance.js"
import { clusterEnv, json, startInstance } from "./support/cluster.js"
import { skipReason, startRedis } from "./support/redisServer.js"
import type { RedisServer } from "./support/redisServer.js"

const skip = skipReason()
const prefix = `lost${Date.now()}:`

let redis: RedisServer
let a: ChildInstance | undefined
let b: TestServer
beforeAll(async () => {
  if (skip !== undefined) return
  redis = await startRedis()
  ;[a, b] = await Promise.all([startChild(clusterEnv(redis.url, "a", prefix)), startInstance(redis.url, "b", prefix)])
}, 90_000)
afterAll(async () => {
  if (skip !== undefined) return
  await a?.kill()
  await b?.close()
  await redis?.close()
})

const quickThenSlow = "in text: String\nfirst = Uppercase(text)\nlate = Delay(Uppercase(text), 20000)\nout first\nout late\n"

describe.skipIf(skip !== undefined)("an instance killed mid-run", () => {
  it("its execution ends for readers on B with instance_lost, keeping what it delivered", async () => {
    const created = await json(`${a!.url}/executions`, post({ source: quickThenSlow, inputs: { text: "kept" } }))
    expect(created.status).toBe(201)
    const id = created.body["executionId"] as string
    const response = await fetch(`${b.url}/executions/${id}/events`)
    expect(response.status).toBe(200)
    const events: Array<ReceivedEvent> = []
    const reading = (async () => {
      for await (const e of eventsOf(response)) {
        events.push(e)
      }
    })()
    // The TypeScript client, attached on B, ends on it too.
    const client = createClient({ baseUrl: b.url })
    const attached: Array<StreamEvent> = []
    const attaching = (async () => {
      for await (const e of client.attach(id)) attached.push(e)
    })()
    // B has the first output (in its snapshot, or just after).
    const until = Date.now() + 10_000
    while (!JSON.stringify(events).includes("KEPT") && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    expect(JSON.stringify(events)).toContain("KEPT")

    const killedAt = Date.now()
    await a!.kill()
    await reading
    await attaching
    const tookMs = Date.now() - killedAt
    console.log(`instance_lost reached the reader on B ${tookMs} ms after SIGKILL`)
    const last = events[events.length - 1]!
    expect(last.event).toBe("error")
    expect(last.data).toMatchObject({ isFinal: true, error: { code: INSTANCE_LOST }, missing: ["late"] })
    const end = attached[attached.length - 1]!
    expect(isFinal(end)).toBe(true)
    expect(end.event === "error" && isExecutionError(end.data) && end.data.error.code === INSTANCE_LOST).toBe(true)
    // 600 ms TTL + 100 ms heartbeat, documented; generous for a loaded machine.
    expect(tookMs).toBeLessThan(5_000)

    const state = await json(`${b.url}/executions/${id}`)
    expect(state.body).toMatchObject({ status: "partial", outputs: { first: "KEPT" }, outputStatus: { first: "succeeded", late: "missing" } })
    // A resumed reader gets the end at once.
    const resumed = await fetch(`${b.url}/executions/${id}/events`, { headers: { "last-event-id": String(last.data["seq"]) } })
    expect(resumed.status).toBe(204)

    // Nothing is left listed as running on the lost instance.
    const r = new Redis(redis.url)
    try {
      expect(await r.smembers(`${prefix}i:a:x`)).toEqual([])
      expect(await r.sismember(`${prefix}instances`, "a")).toBe(0)
    } finally {
      r.disconnect()
    }
  }, 60_000)
})
