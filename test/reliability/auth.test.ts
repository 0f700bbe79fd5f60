/**
 * API-key authentication (`API_KEYS`): 401 without a key, 403 with a wrong
 * one, the health checks exempt; WebSockets authenticate with the header or
 * with a `bearer.<key>` subprotocol; keys are validated at startup and never
 * echoed.
 */
import { ConfigProvider, Effect, Exit, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import * as Access from "../../src/http/security/Access.js"
import { http, wsConnect } from "./support/clients.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"

const KEY = "k1-0123456789abcdef0123456789abcdef"
const OTHER = "k2.ABCDEFGHIJKLMNOP_~+-"
const WRONG = "k1-0123456789abcdef0123456789abcdeX"

let server: ReliabilityServer
beforeAll(async () => {
  server = await startServer({ env: { API_KEYS: ` ${KEY} , ${OTHER} ` } })
})
afterAll(() => server.close())

const json = (headers: Record<string, string> = {}) => ({ "content-type": "application/json", ...headers })
const hello = JSON.stringify({ source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "a" } })

describe("API keys", () => {
  it("a request without a key is 401 with WWW-Authenticate, and runs nothing", async () => {
    const before = (await server.engine()).executionsStarted
    for (const [path, method, body] of [["/execute", "POST", hello], ["/execute/stream", "POST", hello], ["/modules", "GET", undefined], ["/metrics", "GET", undefined], ["/no/such/route", "GET", undefined]] as const) {
      const r = await http(`${server.url}${path}`, { method, headers: json(), ...(body === undefined ? {} : { body }) })
      expect(r.status, path).toBe(401)
      expect(r.headers["www-authenticate"]).toMatch(/^Bearer/)
      expect(JSON.parse(r.body)).toMatchObject({ error: "unauthorized", requestId: expect.any(String) })
    }
    expect((await server.engine()).executionsStarted).toBe(before)
  })

  it("a wrong key, or another scheme, is refused: 403 and 401", async () => {
    const wrong = await http(`${server.url}/execute`, { method: "POST", headers: json({ authorization: `Bearer ${WRONG}` }), body: hello })
    expect(wrong.status).toBe(403)
    expect(JSON.parse(wrong.body)).toMatchObject({ error: "forbidden" })
    expect(wrong.body).not.toContain(WRONG)
    for (const authorization of [`Basic ${Buffer.from(`u:${KEY}`).toString("base64")}`, KEY, "Bearer", `Bearer ${KEY} extra`]) {
      expect((await http(`${server.url}/modules`, { headers: { authorization } })).status, authorization).toBe(401)
    }
    for (const token of ["", "x", KEY.slice(0, -1), `${KEY}x`, KEY.toUpperCase()]) {
      if (token === "") continue
      expect((await http(`${server.url}/modules`, { headers: { authorization: `Bearer ${token}` } })).status, token).toBe(403)
    }
  })

  it("either key is accepted, the scheme in any case", async () => {
    for (const authorization of [`Bearer ${KEY}`, `bearer ${OTHER}`, `BEARER  ${KEY}`]) {
      const r = await http(`${server.url}/execute`, { method: "POST", headers: json({ authorization }), body: hello })
      expect(r.status, authorization).toBe(200)
      expect(JSON.parse(r.body)).toMatchObject({ outputs: { u: "A" } })
    }
  })

  it("the health checks need no key", async () => {
    expect((await http(`${server.url}/health`)).status).toBe(200)
    expect((await http(`${server.url}/health/ready`)).status).toBe(200)
    expect((await http(`${server.url}/health?x=1`)).status).toBe(200)
    expect((await http(`${server.url}/health/../modules`)).status).toBe(401)
  })

  it("a WebSocket needs a key too: in the Authorization header, or as a `bearer.<key>` subprotocol", async () => {
    await expect(wsConnect(`${server.wsUrl}/execute/ws`)).rejects.toThrow(/401/)
    await expect(wsConnect(`${server.wsUrl}/execute/ws`, { protocols: ["constellation", `bearer.${WRONG}`] })).rejects.toThrow(/403/)
    await expect(wsConnect(`${server.wsUrl}/execute/ws`, { headers: { authorization: `Bearer ${WRONG}` } })).rejects.toThrow(/403/)
    for (const options of [{ headers: { authorization: `Bearer ${KEY}` } }, { protocols: ["constellation", `bearer.${OTHER}`] }]) {
      const c = await wsConnect(`${server.wsUrl}/execute/ws`, options)
      try {
        // The server selects the first subprotocol offered: the key is not sent back.
        if ("protocols" in options) expect(c.ws.protocol).toBe("constellation")
        c.ws.send(JSON.stringify({ id: "a", source: "in t: String\nu = Uppercase(t)\nout u", inputs: { t: "ws" } }))
        expect(await c.until((f) => f["id"] === "a")).toMatchObject({ type: "complete", value: "WS" })
      } finally {
        c.ws.close()
      }
    }
    expect(WebSocket.OPEN).toBe(1)
  })

  it("keys are compared whole: a key that is a prefix, or the same length and one character off, does not match", () => {
    const access = Access.make({ apiKeys: [Redacted.make(KEY)], corsOrigins: [] })
    expect(access.authRequired).toBe(true)
    expect(access.isKey(KEY)).toBe(true)
    for (const other of [WRONG, KEY.slice(0, 16), `${KEY}${KEY}`, "", "\u0000".repeat(KEY.length)]) expect(access.isKey(other)).toBe(false)
    expect(Access.make({ apiKeys: [], corsOrigins: [] }).authRequired).toBe(false)
  })

  it("API_KEYS is read as a secret and checked at startup: short or odd keys stop the server from starting", async () => {
    const read = (value: string) =>
      Effect.runPromiseExit(Effect.withConfigProvider(Access.config, ConfigProvider.fromMap(new Map([["API_KEYS", value]]))))
    const ok = await read(`${KEY},${OTHER}`)
    expect(Exit.isSuccess(ok) && ok.value.apiKeys.map(Redacted.value)).toEqual([KEY, OTHER])
    // Redacted: printing the settings does not print the keys.
    expect(Exit.isSuccess(ok) && String(ok.value.apiKeys[0])).not.toContain(KEY)
    for (const bad of ["short", `${KEY},has space in it 0123456789`, `${KEY},"quoted-0123456789abc"`]) {
      const exit = await read(bad)
      expect(Exit.isFailure(exit), bad).toBe(true)
      expect(String(exit)).not.toContain(KEY)
    }
    expect(Exit.isSuccess(await read(""))).toBe(true)
  })

  it("keys never reach the log", () => {
    expect(JSON.stringify(server.logs)).not.toContain(KEY)
    expect(JSON.stringify(server.logs)).not.toContain(WRONG)
  })
})
