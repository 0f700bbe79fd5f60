/**
 * Two instances on one Redis (real `redis-server`, real servers on
 * 127.0.0.1): any instance serves any client. A ref compiled on A runs on
 * B; a run started on A is resumed on B with `Last-Event-ID` (exactly the
 * rest), joined on B while A runs it, cancelled from B, and listed by both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestServer } from "../http/support/server.js"
import { eventsOf, post, readAll } from "../http/support/sse.js"
import type { ReceivedEvent } from "../http/support/sse.js"
import { json, startInstance } from "./support/cluster.js"
import { skipReason, startRedis } from "./support/redisServer.js"
import type { RedisServer } from "./support/redisServer.js"

const skip = skipReason()

const fanOut = [
  "in query: String",
  "quick = Delay(Uppercase(query), 5)",
  "medium = Delay(WordCount(query), 150)",
  "slow = Delay(\"slow ${query}\", 400)",
  "out quick",
  "out medium",
  "out slow",
  ""
].join("\n")

const slow = "in text: String\nlate = Delay(Uppercase(text), 3000)\nout late\n"

let redis: RedisServer
let a: TestServer
let b: TestServer
beforeAll(async () => {
  if (skip !== undefined) return
  redis = await startRedis()
  const prefix = `t${Date.now()}:`
  a = await startInstance(redis.url, "a", prefix)
  b = await startInstance(redis.url, "b", prefix)
})
afterAll(async () => {
  if (skip !== undefined) return
  await a?.close()
  await b?.close()
  await redis?.close()
})

const create = async (server: TestServer, body: Record<string, unknown>) => {
  const { status, body: created } = await json(`${server.url}/executions`, post(body))
  expect(status).toBe(201)
  return created as { executionId: string; events: string }
}

const isFinal = (e: ReceivedEvent) => (e.event === "complete" || e.event === "error") && e.data["isFinal"] === true

const outputsOf = (events: ReadonlyArray<ReceivedEvent>): Array<string> =>
  events.flatMap((e) => {
    if (e.event === "snapshot") return (e.data["results"] as Array<{ data: { name: string } }>).map((r) => r.data.name)
    return e.event === "output" || e.event === "complete" ? [String(e.data["name"])] : []
  })

describe.skipIf(skip !== undefined)("two instances on one Redis", () => {
  it("a ref compiled on A runs on B", async () => {
    const compiled = await json(`${a.url}/compile`, post({ source: "in t: String\nu = Uppercase(t)\nout u\n# only compiled on A\n" }))
    expect(compiled.status).toBe(200)
    const ref = compiled.body["ref"] as string
    const ran = await json(`${b.url}/execute`, post({ ref, inputs: { t: "on b" } }))
    expect(ran.status).toBe(200)
    expect(ran.body).toMatchObject({ status: "completed", outputs: { u: "ON B" } })
    // A ref nobody compiled is still unknown.
    const unknown = await json(`${b.url}/execute`, post({ ref: "0".repeat(64), inputs: {} }))
    expect(unknown.status).toBe(404)
    expect(unknown.body["error"]).toBe("unknown_ref")
  })

  it("a run started on A, its client gone, resumes on B with Last-Event-ID: exactly the rest", async () => {
    for (const cut of [0, 1, 2]) {
      const created = await create(a, { source: fanOut, inputs: { query: `cut ${cut}` } })
      const abort = new AbortController()
      const first = await fetch(`${a.url}${created.events}`, { signal: abort.signal })
      const seen: Array<ReceivedEvent> = []
      for await (const e of eventsOf(first)) {
        seen.push(e)
        if (seen.length > cut) break
      }
      abort.abort()
      const last = seen[seen.length - 1]!
      const resumed = await fetch(`${b.url}${created.events}`, { headers: { "last-event-id": last.id! } })
      if (isFinal(last)) {
        // Nothing is left: B says so as A would.
        expect(resumed.status).toBe(204)
        continue
      }
      const rest = (await readAll(resumed)).events
      const all = [...seen, ...rest]
      // Each output once, in the order they came, the final event last.
      expect(outputsOf(all).sort()).toEqual(["medium", "quick", "slow"])
      expect(isFinal(all[all.length - 1]!)).toBe(true)
      const seqs = rest.map((e) => Number(e.id))
      expect(seqs[0]).toBeGreaterThan(Number(last.id))
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!)
      // Exactly what A itself answers to the same position, event for event.
      const fromA = (await readAll(await fetch(`${a.url}${created.events}`, { headers: { "last-event-id": last.id! } }))).events
      expect(rest.map((e) => [e.id, e.event, e.data])).toEqual(fromA.map((e) => [e.id, e.event, e.data]))
    }
  })

  it("a reader joining on B while A runs it gets a snapshot, then the tail; the state reads the same on both", async () => {
    // Text beyond ASCII goes through Redis intact.
    const created = await create(a, { source: fanOut, inputs: { query: "join ünï ✓ 日本" } })
    // Once the quick output is out.
    await new Promise((resolve) => setTimeout(resolve, 80))
    const { events } = await readAll(await fetch(`${b.url}${created.events}`))
    expect(events[0]!.event).toBe("snapshot")
    expect(outputsOf(events).sort()).toEqual(["medium", "quick", "slow"])
    expect(events[events.length - 1]!.event).toBe("complete")
    const onA = await json(`${a.url}/executions/${created.executionId}`)
    const onB = await json(`${b.url}/executions/${created.executionId}`)
    expect(onB.status).toBe(200)
    expect(onB.body["outputs"]).toEqual(onA.body["outputs"])
    expect(onB.body["status"]).toBe("completed")
    expect(onB.body["outputs"]).toMatchObject({ quick: "JOIN ÜNÏ ✓ 日本", slow: "slow join ünï ✓ 日本" })
    expect(onB.body["lastSeq"]).toBe(onA.body["lastSeq"])
  })

  it("a cancel sent to B stops the run on A", async () => {
    const created = await create(a, { source: slow, inputs: { text: "x" } })
    const following = readAll(await fetch(`${a.url}${created.events}`))
    const cancelled = await json(`${b.url}/executions/${created.executionId}`, { method: "DELETE" })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body["status"]).toBe("failed")
    const { events } = await following
    const last = events[events.length - 1]!
    expect(last.event).toBe("error")
    expect(last.data).toMatchObject({ isFinal: true, error: { code: "cancelled" }, missing: ["late"] })
    const onA = await json(`${a.url}/executions/${created.executionId}`)
    expect(onA.body["status"]).toBe("failed")
    expect(onA.body["finishedAt"]).not.toBeNull()
  })

  it("both instances list the executions of both", async () => {
    const onA = await create(a, { source: "in t: String\nu = Uppercase(t)\nout u\n", inputs: { t: "listed a" } })
    const onB = await create(b, { source: "in t: String\nu = Uppercase(t)\nout u\n", inputs: { t: "listed b" } })
    for (const server of [a, b]) {
      const { body } = await json(`${server.url}/executions?limit=100`)
      const ids = (body["executions"] as Array<{ executionId: string }>).map((e) => e.executionId)
      expect(ids).toContain(onA.executionId)
      expect(ids).toContain(onB.executionId)
      // Newest first.
      expect(ids.indexOf(onB.executionId)).toBeLessThan(ids.indexOf(onA.executionId))
    }
    const paged = await json(`${b.url}/executions?limit=1`)
    expect((paged.body["executions"] as Array<unknown>).length).toBe(1)
    const next = await json(`${b.url}/executions?limit=1&before=${paged.body["next"] as string}`)
    expect((next.body["executions"] as Array<{ executionId: string }>)[0]!.executionId).not.toBe(
      (paged.body["executions"] as Array<{ executionId: string }>)[0]!.executionId
    )
  })

  it("an execution neither instance knows is 404 on both; /health/ready names the store", async () => {
    for (const server of [a, b]) {
      expect((await json(`${server.url}/executions/nope`)).status).toBe(404)
    }
    const ready = await json(`${b.url}/health/ready`)
    expect(ready.status).toBe(200)
    expect(ready.body).toMatchObject({ status: "ready", store: "redis", instance: "b" })
  })
})

describe.skipIf(skip !== undefined)("the lease of an execution followed from another instance", () => {
  const late = "in text: String\nlate = Delay(Uppercase(text), 1200)\nout late\n"

  it("a reader on B holds the lease of a run on A: it completes though its lease is shorter than the run", async () => {
    const created = await create(a, { source: late, inputs: { text: "held" }, leaseMs: 400 })
    const { events } = await readAll(await fetch(`${b.url}${created.events}`))
    expect(events[events.length - 1]!.event).toBe("complete")
    expect(events[events.length - 1]!.data["value"]).toBe("HELD")
  })

  it("once the reader on B leaves, the lease runs again and the run on A ends lease_expired", async () => {
    const longer = "in text: String\nlate = Delay(Uppercase(text), 5000)\nout late\n"
    const created = await create(a, { source: longer, inputs: { text: "left" }, leaseMs: 300 })
    const abort = new AbortController()
    const reading = readAll(await fetch(`${b.url}${created.events}`, { signal: abort.signal })).catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 500))
    // Past its lease, still running: the reader on B holds it.
    expect((await json(`${a.url}/executions/${created.executionId}`)).body["status"]).toBe("running")
    abort.abort()
    await reading
    // Polled, not followed: a reader on A would hold the lease itself.
    let state = (await json(`${a.url}/executions/${created.executionId}`)).body
    for (const until = Date.now() + 4_000; state["status"] === "running" && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      state = (await json(`${a.url}/executions/${created.executionId}`)).body
    }
    expect(state).toMatchObject({ status: "failed", errors: { late: { code: "lease_expired" } } })
  })
})
