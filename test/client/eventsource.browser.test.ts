/**
 * The native-EventSource example of docs/clients.md, run as it stands in
 * Chromium (a page served by the real server, through a proxy that cuts
 * the event stream mid-event): the browser's own EventSource reconnects
 * with the last id, and the page shows every output once, as the doc says.
 */
import { readFileSync } from "node:fs"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { launch, unavailable } from "../web/support/browser.js"
import { startCuttingProxy } from "./cuttingProxy.js"
import type { CuttingProxy } from "./cuttingProxy.js"

if (unavailable !== undefined) console.warn(`Skipping the EventSource example in a browser: ${unavailable}`)

const doc = readFileSync(new URL("../../docs/clients.md", import.meta.url), "utf8")
const found = /<!-- example: browser-eventsource -->\n```js\n([\s\S]*?)\n```\n\n```text\n([\s\S]*?)\n```/.exec(doc)
if (found === null) throw new Error("docs/clients.md has no browser-eventsource example")
const [, code, shown] = found

let server: TestServer
let proxy: CuttingProxy
let browser: Browser

describe.skipIf(unavailable !== undefined)("docs/clients.md: native EventSource in Chromium", () => {
  beforeAll(async () => {
    // A short retry: interval, so the browser's reconnect after the cut is quick.
    server = await startServer({ SSE_RETRY_MS: "50" })
    ;[proxy, browser] = await Promise.all([startCuttingProxy(server.url), launch()])
  })
  afterAll(async () => {
    await browser?.close()
    await proxy?.close()
    await server?.close()
  })

  it("shows each output once, the stream cut mid-event and resumed by the browser", async () => {
    const page = await browser.newPage()
    const errors: Array<string> = []
    page.on("pageerror", (e) => errors.push(e.message))
    const eventRequests: Array<Promise<string | undefined>> = []
    page.on("request", (r) => {
      if (r.url().includes("/events")) eventRequests.push(r.allHeaders().then((h) => h["last-event-id"]))
    })
    // Same origin as the API (the doc's advice): a page of the server, through the proxy.
    await page.goto(`${proxy.url}/health`)
    await page.setContent("<ul id=\"outputs\"></ul>")
    const cutsBefore = proxy.cuts()
    proxy.cutAt("\"name\":\"slow\"")
    await page.addScriptTag({ type: "module", content: code! })
    await page.waitForFunction((n) => document.querySelectorAll("#outputs li").length >= n, shown!.split("\n").length, { timeout: 10_000 })
    // Time for a duplicate to show, were there one.
    await page.waitForTimeout(300)
    const items = await page.$$eval("#outputs li", (lis) => lis.map((li) => li.textContent))
    expect(items).toEqual(shown!.split("\n"))
    expect(proxy.cuts() - cutsBefore).toBe(1)
    // The first request had no position; the reconnect sent the last seq it had.
    const ids = await Promise.all(eventRequests)
    expect(ids[0]).toBeUndefined()
    expect(ids.slice(1).some((id) => id !== undefined && /^\d+$/.test(id)), JSON.stringify(ids)).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })
})
