import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import * as Web from "../../src/web/serve.js"

let handler: (request: Request) => Promise<Response>
let dispose: () => Promise<void>
beforeAll(() => {
  ;({ handler, dispose } = HttpLayerRouter.toWebHandler(Web.layer, { disableLogger: true }))
})
afterAll(() => dispose())

const get = (path: string) => handler(new Request(`http://dashboard.test${path}`))

describe("the dashboard's routes", () => {
  it("serve the page, which loads only its own bundle", async () => {
    const response = await get("/")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'")
    const html = await response.text()
    expect(html).toMatch(/<script type="module" src="\/assets\/app\.js\?v=[0-9a-f]{12}"><\/script>/)
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/app\.css\?v=[0-9a-f]{12}">/)
    // Nothing from a CDN: every src and href is the server's own or inline.
    const refs = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "")
    expect(refs.filter((r) => !r.startsWith("/") && !r.startsWith("data:"))).toEqual([])
  })

  it("serve the bundle, built from src/web/app, with no reference to another host", async () => {
    const js = await get("/assets/app.js")
    expect(js.status).toBe(200)
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8")
    const code = await js.text()
    expect(code.length).toBeGreaterThan(10_000)
    expect(code).not.toMatch(/\bimport\s*\(?["']https?:/)
    const css = await get("/assets/app.css")
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8")
    const style = await css.text()
    expect(style).toContain(".node")
    expect(style).not.toMatch(/url\(|@import/)
  })

  it("list their paths for the server's authentication to leave open", async () => {
    const routes = await Effect.runPromise(Web.routes)
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(Web.paths.map((p) => `GET ${p}`))
  })

  it("keep building the bundle for the next request when the first asker goes away", async () => {
    // A fresh copy of the module: its bundle not yet asked for.
    vi.resetModules()
    const fresh = (await import("../../src/web/serve.js")) as typeof Web
    const own = HttpLayerRouter.toWebHandler(fresh.layer, { disableLogger: true })
    try {
      // The handler ready (its layer built), so the abort below reaches the request's fiber.
      expect((await own.handler(new Request("http://dashboard.test/nothing"))).status).toBe(404)
      const leaving = new AbortController()
      const first = own.handler(new Request("http://dashboard.test/", { signal: leaving.signal }))
      leaving.abort()
      expect((await first).status).toBe(499)
      const next = await own.handler(new Request("http://dashboard.test/"))
      expect(next.status).toBe(200)
      expect(await next.text()).toContain("/assets/app.js?v=")
    } finally {
      await own.dispose()
    }
  })
})
