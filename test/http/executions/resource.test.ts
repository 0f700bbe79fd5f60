/**
 * Executions as resources on a real server (127.0.0.1, port 0): created
 * without waiting, followed and resumed by `Last-Event-ID` after every
 * position, joined mid-run, cancelled, listed, and the documented answers
 * for unknown and finished ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { startServer } from "../support/server.js"
import type { TestServer } from "../support/server.js"
import { eventsOf, post, readAll } from "../support/sse.js"
import type { ReceivedEvent } from "../support/sse.js"

const fanOut = [
  "in query: String",
  "quick = Delay(Uppercase(query), 5)",
  "medium = Delay(WordCount(query), 60)",
  "slow = Delay(\"slow ${query}\", 250)",
  "out quick",
  "out medium",
  "out slow",
  ""
].join("\n")

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const create = async (body: Record<string, unknown>) => {
  const response = await fetch(`${server.url}/executions`, post(body))
  expect(response.status).toBe(201)
  const created = await response.json() as { executionId: string; events: string; location: string; status: string }
  expect(response.headers.get("location")).toBe(created.location)
  return created
}

const follow = (path: string, lastEventId?: string) =>
  fetch(`${server.url}${path}`, { headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId } })

/** The output names of `output`/`complete` events, and of snapshot results. */
const outputsOf = (events: ReadonlyArray<ReceivedEvent>): Array<string> =>
  events.flatMap((e) => {
    if (e.event === "snapshot") return (e.data["results"] as Array<{ data: { name: string } }>).map((r) => r.data.name)
    return e.event === "output" || e.event === "complete" ? [String(e.data["name"])] : []
  })

describe("POST /executions", () => {
  it("answers 201 at once, then the events: a snapshot, then the tail, each with its seq as id", async () => {
    const created = await create({ source: fanOut, inputs: { query: "a b" } })
    // Answered before the end: the run was still going.
    expect(created.status).toBe("running")
    expect(created.events).toBe(`/executions/${created.executionId}/events`)
    const response = await follow(created.events)
    expect(response.headers.get("content-type")).toContain("text/event-stream")
    const { events } = await readAll(response)
    expect(events[0]!.event).toBe("snapshot")
    expect(outputsOf(events)).toEqual(["quick", "medium", "slow"])
    for (const e of events.slice(1)) expect(e.id).toBe(String(e.data["seq"]))
    expect(events[events.length - 1]!.event).toBe("complete")
  })

  /** Reads `cut + 1` events of a fresh execution, drops the connection mid-run, and resumes with the last id. */
  const cutAndResume = async (body: Record<string, unknown>, cut: number) => {
    const created = await create(body)
    const abort = new AbortController()
    const first = await fetch(`${server.url}${created.events}`, { signal: abort.signal })
    const seen: Array<ReceivedEvent> = []
    for await (const e of eventsOf(first)) {
      seen.push(e)
      if (seen.length > cut) break
    }
    abort.abort()
    const last = seen[seen.length - 1]!
    if (last.event === "complete" || (last.event === "error" && last.data["isFinal"] === true)) {
      expect((await follow(created.events, last.id)).status).toBe(204)
      return { seen, rest: [], done: true }
    }
    const rest = (await readAll(await follow(created.events, last.id))).events
    return { seen, rest, done: false }
  }

  it("resumes after a drop at every position of the fan-out: each output exactly once, in order", async () => {
    for (let cut = 0; ; cut++) {
      const { seen, rest, done } = await cutAndResume({ source: fanOut, inputs: { query: "x" }, progress: true }, cut)
      const all = [...seen, ...rest]
      expect(outputsOf(all)).toEqual(["quick", "medium", "slow"])
      // Ids strictly increase across the drop: nothing twice.
      const seqs = all.slice(1).map((e) => Number(e.id))
      expect(seqs.every((n, i) => i === 0 || n > seqs[i - 1]!)).toBe(true)
      if (done) break
      expect(cut).toBeLessThan(40)
    }
  })

  it("resumes after a drop at every position of a 50-output stream with progress", async () => {
    const names = Array.from({ length: 50 }, (_, i) => `o${i}`)
    const source = ["in n: Int", ...names.map((o, i) => `${o} = Delay(n, ${i * 2})`), ...names.map((o) => `out ${o}`)].join("\n")
    for (let cut = 0; ; cut += 7) {
      const { seen, rest, done } = await cutAndResume({ source, inputs: { n: 1 }, progress: true }, cut)
      expect(outputsOf([...seen, ...rest])).toEqual(names)
      if (done) break
      expect(cut).toBeLessThan(400)
    }
  })

  it("resumes after an output's name (the ids of POST /execute/stream) on a stream cut mid-run", async () => {
    const response = await fetch(`${server.url}/execute/stream`, post({ source: fanOut, inputs: { query: "y" }, onDisconnect: "continue" }))
    const id = response.headers.get("x-execution-id")!
    expect(response.headers.get("content-location")).toBe(`/executions/${id}`)
    const seen: Array<ReceivedEvent> = []
    for await (const e of eventsOf(response)) {
      seen.push(e)
      break // the connection is cut after the first output
    }
    expect(seen[0]!.id).toBe("quick")
    const { events } = await readAll(await follow(`/executions/${id}/events`, "quick"))
    expect(outputsOf([...seen, ...events])).toEqual(["quick", "medium", "slow"])
  })

  it("a joiner mid-run gets a snapshot of what came, then the rest", async () => {
    const created = await create({ source: fanOut, inputs: { query: "z" } })
    const first = await follow(created.events)
    const firstEvents: Array<ReceivedEvent> = []
    const reading = (async () => {
      for await (const e of eventsOf(first)) firstEvents.push(e)
    })()
    await new Promise((r) => setTimeout(r, 120))
    const joined = (await readAll(await follow(created.events))).events
    await reading
    expect(joined[0]!.event).toBe("snapshot")
    expect((joined[0]!.data["results"] as Array<unknown>).length).toBeGreaterThanOrEqual(1)
    expect(outputsOf(joined)).toEqual(["quick", "medium", "slow"])
    expect(outputsOf(firstEvents)).toEqual(["quick", "medium", "slow"])
  })

  it("an unknown event id gets a resync, then a snapshot and the tail", async () => {
    const created = await create({ source: fanOut, inputs: { query: "w" } })
    const { events } = await readAll(await follow(created.events, "nonsense"))
    expect(events[0]!.event).toBe("resync")
    expect(events[0]!.data).toMatchObject({ reason: "unknown_event_id", lastEventId: "nonsense" })
    expect(events[1]!.event).toBe("snapshot")
    expect(outputsOf(events)).toEqual(["quick", "medium", "slow"])
  })

  it("GET /executions/{id} is the state so far; DELETE stops it, keeping what was computed", async () => {
    const created = await create({ source: fanOut.replace("250", "10000"), inputs: { query: "v" } })
    await expect.poll(async () => ((await (await fetch(`${server.url}${created.location}`)).json()) as { outputStatus: Record<string, string> }).outputStatus["medium"]).toBe("succeeded")
    const running = await (await fetch(`${server.url}${created.location}`)).json() as Record<string, unknown>
    expect(running).toMatchObject({ status: "running", mode: "resource", onDisconnect: "continue", finishedAt: null })
    expect(running["outputStatus"]).toMatchObject({ quick: "succeeded", slow: "pending" })
    const cancelled = await fetch(`${server.url}${created.location}`, { method: "DELETE" })
    expect(cancelled.status).toBe(200)
    const state = await cancelled.json() as Record<string, unknown>
    expect(state["status"]).toBe("partial")
    expect(state["outputs"]).toMatchObject({ quick: "V", medium: 1 })
    expect(state["outputStatus"]).toMatchObject({ slow: "missing" })
    // Every reader gets the final event; a reconnect with its id gets 204.
    const { events } = await readAll(await follow(created.events))
    const last = events[events.length - 1]!
    expect(last.event).toBe("error")
    expect(last.data).toMatchObject({ isFinal: true, missing: ["slow"], error: { code: "cancelled" } })
    expect((await follow(created.events, last.id)).status).toBe(204)
  })

  it("GET /executions lists the kept executions newest first, paged", async () => {
    const a = await create({ source: fanOut, inputs: { query: "1" } })
    const b = await create({ source: fanOut, inputs: { query: "2" } })
    const page = await (await fetch(`${server.url}/executions?limit=1`)).json() as { executions: Array<{ executionId: string }>; next: string }
    expect(page.executions.map((e) => e.executionId)).toEqual([b.executionId])
    const next = await (await fetch(`${server.url}/executions?limit=1&before=${page.next}`)).json() as { executions: Array<{ executionId: string }> }
    expect(next.executions.map((e) => e.executionId)).toEqual([a.executionId])
    const bad = await fetch(`${server.url}/executions?limit=0`)
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: "invalid_request" })
  })

  it("a WebSocket execution with onDisconnect: continue survives its socket and is read to its end at /executions/{id}/events", async () => {
    const ws = new WebSocket(`${server.wsUrl}/execute/ws`)
    await new Promise((resolve) => ws.once("open", resolve))
    const first = new Promise<{ executionId: string; name: string }>((resolve) =>
      ws.on("message", (data) => {
        const frame = JSON.parse(String(data)) as { type: string; executionId: string; name: string }
        if (frame.type === "output") resolve(frame)
      })
    )
    ws.send(JSON.stringify({ type: "execute", id: "w1", source: fanOut, inputs: { query: "ws" }, onDisconnect: "continue" }))
    const { executionId, name } = await first
    expect(name).toBe("quick")
    ws.terminate()
    const { events } = await readAll(await follow(`/executions/${executionId}/events`, "quick"))
    expect(outputsOf(events)).toEqual(["medium", "slow"])
  })

  it("unknown ids get 404 JSON; a wrong method 405", async () => {
    for (const path of ["/executions/nope", "/executions/nope/events"]) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status).toBe(404)
      expect(await response.json()).toMatchObject({ error: "unknown_execution", id: "nope" })
    }
    const response = await fetch(`${server.url}/executions/nope`, { method: "PUT" })
    expect(response.status).toBe(405)
  })
})

describe("with API keys", () => {
  let keyed: TestServer
  beforeAll(async () => {
    keyed = await startServer({ API_KEYS: "k-one-0123456789abcdef", EXECUTION_RETENTION_MS: "0" })
  })
  afterAll(() => keyed.close())
  const auth = { authorization: "Bearer k-one-0123456789abcdef" }

  it("POST /executions gives an events link with a token for that execution only; no key goes in a URL", async () => {
    const quick = "in t: String\nu = Delay(Uppercase(t), 150)\nout u"
    const made = await fetch(`${keyed.url}/executions`, post({ source: quick, inputs: { t: "a" } }, auth))
    expect(made.status).toBe(201)
    const created = await made.json() as { executionId: string; events: string }
    expect(created.events).toMatch(/^\/executions\/[^/]+\/events\?token=[A-Za-z0-9_-]{20,}$/)
    expect(created.events).not.toContain("k-one-0123456789abcdef")
    const other = await (await fetch(`${keyed.url}/executions`, post({ source: quick, inputs: { t: "b" } }, auth))).json() as { executionId: string; events: string }

    // The token reads its own execution's events, without a key (as an EventSource would).
    const { events } = await readAll(await fetch(`${keyed.url}${created.events}`))
    expect(events.at(-1)).toMatchObject({ event: "complete", data: { value: "A" } })
    // Not another execution's, nor its state, nor with a wrong token.
    const token = created.events.split("token=")[1]!
    for (const path of [
      `/executions/${other.executionId}/events?token=${token}`,
      `/executions/${created.executionId}?token=${token}`,
      `/executions/${created.executionId}/events?token=${token.slice(1)}x`
    ]) {
      const response = await fetch(`${keyed.url}${path}`)
      expect(response.status).toBe(403)
    }
    expect((await fetch(`${keyed.url}/executions/${created.executionId}/events`)).status).toBe(401)
    await readAll(await fetch(`${keyed.url}${other.events}`))
  })

  it("an execution no longer kept answers 410 with a JSON body", async () => {
    const made = await fetch(`${keyed.url}/executions`, post({ source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "a" } }, auth))
    const { executionId } = await made.json() as { executionId: string }
    await expect.poll(async () => (await fetch(`${keyed.url}/executions/${executionId}`, { headers: auth })).status, { timeout: 5_000 }).toBe(410)
    const response = await fetch(`${keyed.url}/executions/${executionId}/events`, { headers: auth })
    expect(response.status).toBe(410)
    expect(await response.json()).toMatchObject({ error: "execution_expired", id: executionId })
  })
})
