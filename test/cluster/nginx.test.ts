/**
 * The deployment recipe (docs/deployment.md): two instances on one Redis
 * behind nginx with deploy/nginx.conf.template. Clients see one service:
 * requests land on both instances, a ref compiled through nginx runs
 * whichever instance takes the run, events stream through unbuffered, a
 * dropped stream resumes through nginx with exactly the rest, and a cancel
 * reaches the run wherever it is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestServer } from "../http/support/server.js"
import { eventsOf, post, readAll } from "../http/support/sse.js"
import type { ReceivedEvent } from "../http/support/sse.js"
import { json, startInstance } from "./support/cluster.js"
import { nginxAvailable, startNginx } from "./support/nginx.js"
import type { Nginx } from "./support/nginx.js"
import { skipReason, startRedis } from "./support/redisServer.js"
import type { RedisServer } from "./support/redisServer.js"

const nginxSkip = (): string | undefined => {
  if (nginxAvailable()) return undefined
  if (process.env["CI"] !== undefined && process.env["CI"] !== "") throw new Error("nginx is not installed (.ci/run installs it)")
  const reason = "nginx is not installed (apt-get install -y nginx): the test through nginx is skipped"
  console.log(reason)
  return reason
}
const skip = skipReason() ?? nginxSkip()

const fanOut = [
  "in query: String",
  "quick = Delay(Uppercase(query), 5)",
  "medium = Delay(WordCount(query), 300)",
  "slow = Delay(\"slow ${query}\", 2500)",
  "out quick",
  "out medium",
  "out slow",
  ""
].join("\n")

let redis: RedisServer
let instances: Array<TestServer> = []
let nginx: Nginx
beforeAll(async () => {
  if (skip !== undefined) return
  redis = await startRedis()
  const prefix = `nginx${Date.now()}:`
  instances = [await startInstance(redis.url, "one", prefix), await startInstance(redis.url, "two", prefix)]
  nginx = await startNginx(instances.map((i) => Number(new URL(i.url).port)))
})
afterAll(async () => {
  if (skip !== undefined) return
  await nginx?.stop()
  for (const i of instances) await i.close()
  await redis?.close()
})

const isFinal = (e: ReceivedEvent) => (e.event === "complete" || e.event === "error") && e.data["isFinal"] === true

describe.skipIf(skip !== undefined)("two instances behind nginx", () => {
  it("spreads requests over both instances", async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 10; i++) seen.add(String((await json(`${nginx.url}/health/ready`)).body["instance"]))
    expect([...seen].sort()).toEqual(["one", "two"])
  })

  it("runs a ref compiled through nginx on either instance", async () => {
    const { body } = await json(`${nginx.url}/compile`, post({ source: "in t: String\nu = Uppercase(t)\nout u\n# nginx\n" }))
    for (let i = 0; i < 6; i++) {
      const ran = await json(`${nginx.url}/execute`, post({ ref: body["ref"], inputs: { t: `run ${i}` } }))
      expect(ran.body).toMatchObject({ status: "completed", outputs: { u: `RUN ${i}` } })
    }
  })

  it("streams each event the moment it is ready (no buffering) and resumes a dropped stream with exactly the rest", async () => {
    const created = await json(`${nginx.url}/executions`, post({ source: fanOut, inputs: { query: "through nginx" } }))
    expect(created.status).toBe(201)
    const events = String(created.body["events"])
    const abort = new AbortController()
    const seen: Array<ReceivedEvent> = []
    for await (const e of eventsOf(await fetch(`${nginx.url}${events}`, { signal: abort.signal }))) {
      seen.push(e)
      if (JSON.stringify(seen).includes("THROUGH NGINX")) break
    }
    // The quick output came through while the slow one (2.5 s) is still to come: nginx held nothing back.
    const state = await json(`${nginx.url}/executions/${String(created.body["executionId"])}`)
    expect(state.body["outputStatus"]).toMatchObject({ slow: "pending" })
    abort.abort()
    const last = seen[seen.length - 1]!
    const rest = (await readAll(await fetch(`${nginx.url}${events}`, { headers: { "last-event-id": last.id! } }))).events
    const names = [...seen, ...rest].flatMap((e) =>
      e.event === "snapshot"
        ? (e.data["results"] as Array<{ data: { name: string } }>).map((r) => r.data.name)
        : e.event === "output" || e.event === "complete" ? [String(e.data["name"])] : [])
    expect(names.sort()).toEqual(["medium", "quick", "slow"])
    expect(isFinal(rest[rest.length - 1]!)).toBe(true)
    expect(Number(rest[0]!.id)).toBeGreaterThan(Number(last.id))
  })

  it("cancels a run through nginx wherever it runs", async () => {
    for (let i = 0; i < 4; i++) {
      const created = await json(`${nginx.url}/executions`, post({ source: "in t: String\nl = Delay(t, 20000)\nout l\n", inputs: { t: "x" } }))
      const cancelled = await json(`${nginx.url}/executions/${String(created.body["executionId"])}`, { method: "DELETE" })
      expect(cancelled.status).toBe(200)
      expect(cancelled.body).toMatchObject({ status: "failed", errors: { l: { code: "cancelled" } } })
    }
  })
})
