/**
 * No request is lost while the server starts: the platform listens before
 * the routes are attached, and a request arriving in between is held until
 * they are (or answered 503 `starting`), never left hanging. The same for
 * WebSocket upgrades, and for requests on a connection still open after the
 * routes were detached (503 `shutting_down`).
 */
import { createServer, request } from "node:http"
import type { IncomingMessage, Server } from "node:http"
import type { AddressInfo } from "node:net"
import { afterEach, describe, expect, it } from "vitest"
import { holdUntilServed } from "../../../src/http/server/holdUntilServed.js"
import { startServer } from "../support/server.js"
import type { TestServer } from "../support/server.js"
import { freePort, probeStartup, tally } from "../support/startupProbe.js"

const servers: Array<Server> = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve))
})

/** A listening server whose routes are not attached yet. */
const listening = async (options?: Parameters<typeof holdUntilServed>[1]) => {
  const server = holdUntilServed(createServer(), options)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

const get = (port: number, headers: Record<string, string> = {}) =>
  new Promise<{ readonly status: number; readonly headers: IncomingMessage["headers"]; readonly body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false, headers }, (response) => {
      let body = ""
      response.setEncoding("utf8")
      response.on("data", (chunk: string) => (body += chunk))
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    req.on("upgrade", (response, socket) => {
      socket.destroy()
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: "" })
    })
    req.on("error", reject)
    req.end()
  })

const upgradeHeaders = {
  connection: "Upgrade",
  upgrade: "websocket",
  "sec-websocket-version": "13",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ=="
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe("holdUntilServed", () => {
  it("holds a request that arrives before the handler and hands it over once the handler is attached", async () => {
    const { server, port } = await listening()
    const answer = get(port)
    await settle(50)
    server.on("request", (_req, res) => res.end("routed"))
    expect(await answer).toMatchObject({ status: 200, body: "routed" })
    // Later requests go straight to the handler, and only once.
    expect(await get(port)).toMatchObject({ status: 200, body: "routed" })
  })

  it("answers 503 starting with Retry-After when no handler comes within the hold", async () => {
    const { port } = await listening({ holdMs: 100, retryAfterSeconds: 3 })
    const answer = await get(port)
    expect(answer.status).toBe(503)
    expect(answer.headers["retry-after"]).toBe("3")
    expect(JSON.parse(answer.body)).toMatchObject({ error: "starting" })
  })

  it("answers 503 shutting_down at once once the handler is detached", async () => {
    const { server, port } = await listening({ holdMs: 10_000 })
    const handler = (_req: IncomingMessage, res: import("node:http").ServerResponse) => res.end("routed")
    server.on("request", handler)
    server.off("request", handler)
    const answer = await get(port)
    expect(answer.status).toBe(503)
    expect(JSON.parse(answer.body)).toMatchObject({ error: "shutting_down" })
  })

  it("holds a WebSocket upgrade until the upgrade handler is attached, and refuses one none takes", async () => {
    const { server, port } = await listening({ holdMs: 300 })
    const held = get(port, upgradeHeaders)
    await settle(50)
    server.on("upgrade", (_req, socket) => {
      socket.end("HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: websocket\r\n\r\n")
    })
    expect((await held).status).toBe(101)

    const other = await listening({ holdMs: 100 })
    const refused = await get(other.port, upgradeHeaders)
    expect(refused.status).toBe(503)
    expect(JSON.parse(refused.body)).toMatchObject({ error: "starting" })
  })
})

describe("the server while it starts", () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it("answers every request and upgrade that reaches the port, from the first moment it accepts (in-process)", async () => {
    const port = await freePort()
    const probe = probeStartup(port)
    server = await startServer({ PORT: String(port) })
    const attempts = await probe
    const counts = tally(attempts)
    expect(counts["http unanswered"] ?? 0, JSON.stringify(counts)).toBe(0)
    expect(counts["upgrade unanswered"] ?? 0, JSON.stringify(counts)).toBe(0)
    expect(counts["http error"] ?? 0, JSON.stringify(counts)).toBe(0)
    expect(counts["http 200"] ?? 0).toBeGreaterThan(10)
    expect(attempts.filter((a) => a.kind === "upgrade" && typeof a.outcome === "number").length).toBeGreaterThan(0)
  })
})
