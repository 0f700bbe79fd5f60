/**
 * CORS: closed by default (no `Access-Control-*` header for any origin, a
 * preflight is not answered, a WebSocket from another site's page is
 * refused); `CORS_ORIGINS` opens it to the listed origins only. Bodies must
 * be JSON, so no page can send a request a browser would not preflight.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { http, wsConnect } from "./support/clients.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"

const APP = "https://app.example.com"
const EVIL = "https://evil.example.net"
const hello = JSON.stringify({ source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "a" } })

const preflight = (origin: string) => ({
  method: "OPTIONS",
  headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" }
})

describe("CORS closed (the default)", () => {
  let server: ReliabilityServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it("no origin gets an Access-Control header, and preflights are not answered", async () => {
    const r = await http(`${server.url}/execute`, { method: "POST", headers: { origin: APP, "content-type": "application/json" }, body: hello })
    expect(r.status).toBe(200)
    expect(Object.keys(r.headers).filter((h) => h.startsWith("access-control-"))).toEqual([])
    const p = await http(`${server.url}/execute`, preflight(APP))
    expect(p.status).toBe(405)
    expect(p.headers["access-control-allow-origin"]).toBeUndefined()
  })

  it("a WebSocket opened by another site's page is refused; the server's own pages and non-browser clients may connect", async () => {
    await expect(wsConnect(`${server.wsUrl}/execute/ws`, { origin: EVIL })).rejects.toThrow(/403/)
    for (const options of [{}, { origin: server.url }]) {
      const c = await wsConnect(`${server.wsUrl}/execute/ws`, options)
      c.ws.close()
    }
  })

  it("a body a page could send without a preflight (text/plain, a form) is refused with 415", async () => {
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await http(`${server.url}/execute`, { method: "POST", headers: { "content-type": type, origin: EVIL }, body: hello })
      expect(r.status, type).toBe(415)
      expect(JSON.parse(r.body)).toMatchObject({ error: "unsupported_media_type", contentType: type })
    }
    for (const type of ["application/json", "application/json; charset=utf-8", "application/vnd.example+json"]) {
      expect((await http(`${server.url}/execute`, { method: "POST", headers: { "content-type": type }, body: hello })).status, type).toBe(200)
    }
  })
})

describe("CORS_ORIGINS", () => {
  let server: ReliabilityServer
  beforeAll(async () => {
    server = await startServer({ env: { CORS_ORIGINS: `${APP}, http://localhost:5173` } })
  })
  afterAll(() => server.close())

  it("a listed origin's preflight gets a 204 with what it may send", async () => {
    const p = await http(`${server.url}/execute/stream`, preflight(APP))
    expect(p.status).toBe(204)
    expect(p.headers["access-control-allow-origin"]).toBe(APP)
    expect(p.headers["access-control-allow-methods"]).toContain("POST")
    expect(p.headers["access-control-allow-headers"]).toContain("authorization")
    expect(p.headers["access-control-allow-headers"]).toContain("content-type")
    expect(p.headers["vary"]).toMatch(/origin/i)
  })

  it("its answers, errors included, carry the headers it may read", async () => {
    for (const [path, init, status] of [
      ["/execute", { method: "POST", headers: { origin: APP, "content-type": "application/json" }, body: hello }, 200],
      ["/nope", { headers: { origin: APP } }, 404],
      ["/execute", { method: "POST", headers: { origin: APP, "content-type": "application/json" }, body: "{" }, 400]
    ] as const) {
      const r = await http(`${server.url}${path}`, init)
      expect(r.status).toBe(status)
      expect(r.headers["access-control-allow-origin"]).toBe(APP)
      expect(r.headers["access-control-expose-headers"]).toContain("x-request-id")
    }
    const ws = await wsConnect(`${server.wsUrl}/execute/ws`, { origin: APP })
    ws.ws.close()
  })

  it("any other origin gets nothing", async () => {
    const r = await http(`${server.url}/modules`, { headers: { origin: EVIL } })
    expect(r.status).toBe(200)
    expect(r.headers["access-control-allow-origin"]).toBeUndefined()
    expect((await http(`${server.url}/execute`, preflight(EVIL))).headers["access-control-allow-origin"]).toBeUndefined()
    await expect(wsConnect(`${server.wsUrl}/execute/ws`, { origin: EVIL })).rejects.toThrow(/403/)
  })
})
