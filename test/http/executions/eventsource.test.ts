/**
 * A real EventSource implementation (the `eventsource` package, not our
 * parser) follows `GET /executions/{id}/events` through a proxy that cuts
 * the connection twice mid-event: it reconnects by itself with
 * `Last-Event-ID`, ends with every output once, and stops on the `204`
 * the server answers after the final event (no reconnect loop).
 */
import { EventSource } from "eventsource"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startCuttingProxy } from "../../client/cuttingProxy.js"
import type { CuttingProxy } from "../../client/cuttingProxy.js"
import { fanOut } from "../support/pipelines.js"
import { startServer } from "../support/server.js"
import type { TestServer } from "../support/server.js"
import { post } from "../support/sse.js"

let server: TestServer
let proxy: CuttingProxy
beforeAll(async () => {
  // A short retry: interval, so the reconnects of the test are quick.
  server = await startServer({ SSE_RETRY_MS: "20" })
  proxy = await startCuttingProxy(server.url)
})
afterAll(async () => {
  await proxy.close()
  await server.close()
})

interface Seen {
  readonly outputs: Array<string>
  readonly ids: Array<string>
  /** Connection errors: each cut, and the final 204. */
  errors: number
}

/** Follows `url` with an EventSource until it closes for good. */
const follow = (url: string): Promise<Seen> =>
  new Promise((resolve, reject) => {
    const seen: Seen = { outputs: [], ids: [], errors: 0 }
    const source = new EventSource(url)
    const timer = setTimeout(() => {
      source.close()
      reject(new Error(`still open after 10 s: ${JSON.stringify(seen)}`))
    }, 10_000)
    source.addEventListener("snapshot", (e) => {
      const snapshot = JSON.parse(e.data) as { results: Array<{ data: { name: string } }> }
      seen.outputs.push(...snapshot.results.map((r) => r.data.name))
    })
    for (const name of ["output", "complete"]) {
      source.addEventListener(name, (e) => {
        seen.ids.push(e.lastEventId)
        seen.outputs.push((JSON.parse(e.data) as { name: string }).name)
      })
    }
    source.addEventListener("error", () => {
      seen.errors++
      if (source.readyState === EventSource.CLOSED) {
        clearTimeout(timer)
        resolve(seen)
      }
    })
  })

describe("the eventsource package on GET /executions/{id}/events", () => {
  it("follows a stream cut twice mid-event: every output once, then the 204 closes it", async () => {
    const response = await fetch(`${server.url}/executions`, post({ source: fanOut(), inputs: { query: "event source" } }))
    expect(response.status).toBe(201)
    const created = await response.json() as { events: string }
    const cutsBefore = proxy.cuts()
    const connectionsBefore = proxy.connections()
    proxy.cutAt("\"name\":\"medium\"", "\"name\":\"slow\"")
    const seen = await follow(`${proxy.url}${created.events}`)
    expect(proxy.cuts() - cutsBefore).toBe(2)
    expect(seen.outputs).toEqual(["quick", "medium", "slow"])
    // Ids are seqs, increasing across the reconnects.
    expect(seen.ids.map(Number).every((n, i, all) => i === 0 || n > all[i - 1]!)).toBe(true)
    // An error event for each cut, for the end of the response after the final event, and for the 204 that closed it.
    expect(seen.errors).toBe(4)
    // Two reconnects after the cuts (the reconnect answered 204 may reuse the last connection).
    expect(proxy.connections() - connectionsBefore).toBeGreaterThanOrEqual(3)
  })
})
