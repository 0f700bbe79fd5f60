/**
 * WebSocket frames over the size limit: one somewhat over it is answered
 * with a `body_too_large` error frame and the socket stays usable; one far
 * over it (more than four times `MAX_BODY_BYTES`) is not received at all:
 * the connection is dropped before the frame has arrived. Handshakes the
 * WebSocket library would refuse are answered as JSON errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { raw, wsConnect } from "./support/clients.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"

const LIMIT = 64 * 1024

let server: ReliabilityServer
beforeAll(async () => {
  server = await startServer({ env: { MAX_BODY_BYTES: String(LIMIT) } })
})
afterAll(() => server.close())

describe("WebSocket limits", () => {
  it("a frame somewhat over the limit gets an error frame; the socket goes on", async () => {
    const c = await wsConnect(`${server.wsUrl}/execute/ws`)
    try {
      c.ws.send("x".repeat(LIMIT + 1))
      expect(await c.until((f) => f["type"] === "error")).toMatchObject({ error: { code: "body_too_large" }, limit: LIMIT })
      c.ws.send(JSON.stringify({ id: "a", source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "ok" } }))
      expect(await c.until((f) => f["id"] === "a")).toMatchObject({ type: "complete", value: "OK" })
    } finally {
      c.ws.close()
    }
  })

  it("a frame far over it drops the connection before it has all arrived", async () => {
    const c = await wsConnect(`${server.wsUrl}/execute/ws`)
    const huge = Buffer.alloc(64 * LIMIT, "x")
    c.ws.send(huge.toString())
    const code = await Promise.race([c.closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 5_000))])
    expect(code).toBe(1006)
    expect(c.frames).toEqual([])
  })

  it("a handshake the WebSocket library would refuse is a JSON 400, and leaves nothing waiting", async () => {
    for (const headers of ["sec-websocket-version: 13", "sec-websocket-key: short\r\nsec-websocket-version: 13", "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 7"]) {
      const r = await raw(server.port, `GET /execute/ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n${headers}\r\n\r\n`)
      expect(r.text).toMatch(/^HTTP\/1\.1 400/)
      expect(r.text).toContain("\"error\":\"invalid_request\"")
    }
  })
})
