/**
 * The Promise client resuming by itself: a real server behind a proxy that
 * cuts the socket mid-event, and the client's user sees every output
 * exactly once, in order, as from one connection. Also `attach`, the
 * executions as resources, and the bounds of resuming (off, giving up).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { StreamInterrupted } from "../../src/client/ClientError.js"
import { createClient } from "../../src/client/ConstellationClient.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"
import { fanOut } from "../http/support/pipelines.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { startCuttingProxy } from "./cuttingProxy.js"
import type { CuttingProxy } from "./cuttingProxy.js"
import { rejectsWith } from "./support.js"

const names = Array.from({ length: 50 }, (_, i) => `o${i}`)
/** Fifty outputs, one every 4 ms. */
const fifty = ["in n: Int", ...names.map((o, i) => `${o} = Delay(n, ${i * 4})`), ...names.map((o) => `out ${o}`)].join("\n")

const fast = { initialDelayMs: 5, maxDelayMs: 50 }

let server: TestServer
let proxy: CuttingProxy
beforeAll(async () => {
  server = await startServer()
  proxy = await startCuttingProxy(server.url)
})
afterAll(async () => {
  await proxy.close()
  await server.close()
})

const collect = async (events: AsyncIterable<StreamEvent>): Promise<Array<StreamEvent>> => {
  const out: Array<StreamEvent> = []
  for await (const e of events) out.push(e)
  return out
}

const resultNames = (events: ReadonlyArray<StreamEvent>) =>
  events.flatMap((e) => (e.event === "output" || e.event === "complete" || e.event === "error") && "name" in e.data ? [e.data.name] : [])

/** Every event's seq strictly after the one before: nothing twice, in the server's order. */
const increasing = (events: ReadonlyArray<StreamEvent>) => events.every((e, i) => i === 0 || e.data.seq > events[i - 1]!.data.seq)

describe("the Promise client resumes a cut stream", () => {
  it("cut twice mid-event: every output once, in the server's order, and the final event last", async () => {
    const client = createClient({ baseUrl: proxy.url, resume: fast })
    const cutsBefore = proxy.cuts()
    proxy.cutAt("\"name\":\"o7\"", "\"name\":\"o31\"")
    const events = await collect(client.stream({ source: fifty, inputs: { n: 1 }, progress: true }))
    expect(proxy.cuts() - cutsBefore).toBe(2)
    // Each output exactly once (in the order the server finished them, which load may shuffle: the seqs say it).
    expect(resultNames(events).sort(), events.map((e) => `${e.data.seq} ${e.event} ${"name" in e.data ? e.data.name : ""}`).join(", "))
      .toEqual([...names].sort())
    expect(events.at(-1)).toMatchObject({ event: "complete", data: { isFinal: true } })
    expect(increasing(events)).toBe(true)
  })

  it("at every cut position of the fan-out (progress on), the same three outputs once each", async () => {
    const client = createClient({ baseUrl: proxy.url, resume: fast })
    for (const pattern of ["event: module-started", "\"name\":\"quick\"", "event: progress", "\"name\":\"medium\"", "\"completed\":3", "\"name\":\"slow\""]) {
      const cutsBefore = proxy.cuts()
      proxy.cutAt(pattern)
      const events = await collect(client.stream({ source: fanOut(), inputs: { query: "a b" }, progress: true }))
      expect(proxy.cuts() - cutsBefore, pattern).toBe(1)
      expect(resultNames(events), pattern).toEqual(["quick", "medium", "slow"])
      expect(increasing(events), pattern).toBe(true)
    }
  })

  it("with resume off, a cut is StreamInterrupted, as before", async () => {
    const client = createClient({ baseUrl: proxy.url, resume: false })
    proxy.cutAt("\"name\":\"quick\"")
    const error = await rejectsWith(collect(client.stream({ source: fanOut(), inputs: { query: "x" } })), StreamInterrupted)
    expect(error.message).toContain("before the execution's final event")
  })

  it("gives up after the configured tries in a row when the server stays unreachable", async () => {
    const lonely = await startCuttingProxy(server.url)
    const client = createClient({ baseUrl: lonely.url, resume: { retries: 3, initialDelayMs: 5, maxDelayMs: 20 } })
    const seen: Array<string> = []
    const events = client.stream({ source: fanOut(), inputs: { query: "x" } })
    const error = await rejectsWith((async () => {
      for await (const e of events) {
        seen.push(e.event)
        lonely.refuse()
      }
    })(), StreamInterrupted)
    await lonely.close()
    expect(seen[0]).toBe("output")
    expect(error).toMatchObject({ received: seen.length })
    expect(error.message).toMatch(/the connection failed \(Could not reach/)
  })
})

describe("executions as resources, through the Promise client", () => {
  it("create, then attach mid-run (cut once): the results so far, then the rest, each once", async () => {
    const client = createClient({ baseUrl: proxy.url, resume: fast })
    const created = await client.create({ source: fanOut(), inputs: { query: "late join" } })
    expect(created).toMatchObject({ status: "running", location: `/executions/${created.executionId}` })
    await new Promise((r) => setTimeout(r, 120))
    proxy.cutAt("\"name\":\"slow\"")
    const events = await collect(client.attach(created.executionId))
    expect(resultNames(events)).toEqual(["quick", "medium", "slow"])
    expect(events.at(-1)).toMatchObject({ event: "complete" })
    const state = await client.state(created.executionId)
    expect(state).toMatchObject({ status: "completed", outputs: { quick: "LATE JOIN", medium: 2 } })
  })

  it("cancel stops a running execution; list names it; an unknown id is rejected", async () => {
    const client = createClient({ baseUrl: server.url })
    const created = await client.create({ source: fanOut(), inputs: { query: "stop" } })
    await new Promise((r) => setTimeout(r, 120))
    const state = await client.cancel(created.executionId)
    expect(state).toMatchObject({ status: "partial", outputStatus: { slow: "missing" } })
    const events = await collect(client.attach(created.executionId))
    expect(events.at(-1)).toMatchObject({ event: "error", data: { isFinal: true, error: { code: "cancelled" } } })
    const page = await client.list({ limit: 1 })
    expect(page.executions.map((e) => e.executionId)).toEqual([created.executionId])
    await expect(client.state("nope")).rejects.toMatchObject({ _tag: "RequestRejected", status: 404, code: "unknown_execution" })
  })
})
