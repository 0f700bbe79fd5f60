/**
 * The Swagger UI at /docs is loaded on the first request for it. A client
 * that goes away during that load must not spoil it for everyone after.
 * (A file of its own: the first request for /docs in this process.)
 */
import { describe, expect, it } from "vitest"
import { raw } from "../reliability/support/clients.js"
import { startServer } from "./support/server.js"

describe("GET /docs, first loaded for a client that leaves", () => {
  it("is not spoilt for everyone by a client that leaves while it loads", async () => {
    const fresh = await startServer()
    try {
      // Half-closed: Node's server takes it for the client leaving while the Swagger UI loads.
      const left = await raw(Number(new URL(fresh.url).port), "GET /docs HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n", 10_000)
      expect(left.timedOut).toBe(false)
      const r = await fetch(`${fresh.url}/docs`)
      expect(r.status).toBe(200)
      expect(await r.text()).toContain("SwaggerUIBundle")
    } finally {
      await fresh.close()
    }
  })
})
