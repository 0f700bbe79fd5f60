/**
 * The editor's diagnostics in a real browser (Debian's Chromium): they
 * come from the language server's `textDocument/publishDiagnostics` over
 * `GET /lsp` (shown while `POST /compile` is made to fail, and counted
 * as frames of the socket), with codes, ranges, hints and related
 * locations; and from the compile loop when a proxy refuses the
 * WebSocket upgrade.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { launch, screenshot, unavailable } from "./support/browser.js"
import { startRefusingProxy } from "./support/refusingProxy.js"
import type { RefusingProxy } from "./support/refusingProxy.js"
import { startDashboardServer } from "./support/server.js"
import type { DashboardServer } from "./support/server.js"

if (unavailable !== undefined) console.warn(`Skipping the editor's diagnostics in Chromium: ${unavailable}`)

let server: DashboardServer
let proxy: RefusingProxy
let browser: Browser
let page: Page
let pageErrors: Array<string>
/** The publishDiagnostics notifications the page received. */
let published: number

const UNKNOWN_MODULE = "in text: String\nout upper\nupper = Uppercas(text)\n"
const FIXED = "in text: String\nout upper\nupper = Uppercase(text)\n"

/** Opens the dashboard at `url` and waits for its example to compile. */
const open = async (url: string) => {
  await page.goto(`${url}/`)
  await page.waitForSelector(".compile-line[data-state=compiled]")
}

const caret = () => page.$eval("textarea.editor-input", (t) => (t instanceof HTMLTextAreaElement ? t.selectionStart : -1))

/** The unknown module `Uppercas` shown at 3:9 in the gutter, the overlay, the lens and the list. */
const expectUnknownModule = async () => {
  await page.waitForSelector(".gutter-line.has-error[data-line=\"3\"]")
  expect(await page.locator(".gutter-line.has-error").count()).toBe(1)
  expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-where")).toBe("3:9")
  expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-code")).toBe("E400")
  expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-message")).toBe("Unknown module `Uppercas`: no module of that name is registered.")
  expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-hint")).toBe("did you mean `Uppercase`?")
  expect(await page.textContent(".overlay-line:nth-child(3) .squiggle")).toBe("Uppercas")
  expect(await page.textContent(".lens[data-line=\"3\"]")).toBe("E400 Unknown module `Uppercas`: no module of that name is registered.")
  expect(await page.textContent(".compile-line")).toBe("1 problem")
}

/** No diagnostic left anywhere. */
const expectNone = async () => {
  await page.waitForFunction(() => document.querySelectorAll(".gutter-line.has-error, .squiggle, .lens, .diagnostic").length === 0)
}

describe.skipIf(unavailable !== undefined)("the editor's diagnostics in Chromium", () => {
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startDashboardServer(), launch()])
    proxy = await startRefusingProxy(server.url)
  })
  afterAll(async () => {
    await browser?.close()
    await proxy?.close()
    await server?.close()
  })
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    pageErrors = []
    published = 0
    page.on("pageerror", (e) => pageErrors.push(e.message))
    page.on("websocket", (ws) => {
      ws.on("framereceived", (frame) => {
        if (typeof frame.payload === "string" && frame.payload.includes("\"textDocument/publishDiagnostics\"")) published++
      })
    })
  })
  afterEach(async () => {
    expect(pageErrors).toEqual([])
    await page.close()
  })

  it("shows the language server's diagnostics while POST /compile fails, and removes them once fixed", async () => {
    await open(server.url)
    await page.waitForSelector(".compile-status[data-source=lsp]")
    // From here on the compile loop has nothing to say: every diagnostic is the language server's.
    await page.route("**/compile", (route) => route.abort())
    const before = published
    await page.fill("textarea.editor-input", UNKNOWN_MODULE)
    await expectUnknownModule()
    expect(await page.getAttribute(".compile-status", "data-source")).toBe("lsp")
    expect(published).toBeGreaterThan(before)
    expect(await page.isDisabled("[data-action=stream]")).toBe(true)
    await screenshot(page, "lsp-diagnostics")

    const afterError = published
    await page.fill("textarea.editor-input", FIXED)
    await expectNone()
    expect(published).toBeGreaterThan(afterError)
    // The compile loop could not say it compiles: the page says so, and the pipeline cannot run.
    await page.waitForSelector(".compile-line[data-state=unavailable]")
    expect(await page.isDisabled("[data-action=stream]")).toBe(true)
  })

  it("shows a diagnostic's related location, which puts the caret there", async () => {
    await open(server.url)
    const source = "in text: String\nshout = Uppercase(text)\nshout = Lowercase(text)\nout shout\n"
    await page.fill("textarea.editor-input", source)
    await page.waitForSelector(".diagnostic[data-line=\"3\"] + .diagnostic-related")
    expect(await page.getAttribute(".compile-status", "data-source")).toBe("lsp")
    expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-code")).toBe("E201")
    expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-where")).toBe("3:1")
    expect(await page.textContent(".overlay-line:nth-child(3) .squiggle")).toBe("shout")
    expect(await page.textContent(".diagnostic-related .diagnostic-where")).toBe("2:1")
    expect(await page.textContent(".diagnostic-related .diagnostic-message")).toBe("`shout` is first defined here")
    await screenshot(page, "lsp-related-location")
    await page.click(".diagnostic-related")
    expect(await caret()).toBe("in text: String\n".length)
    await page.click(".diagnostic[data-line=\"3\"]")
    expect(await caret()).toBe("in text: String\nshout = Uppercase(text)\n".length)

    await page.fill("textarea.editor-input", source.replace("shout = Lowercase", "quiet = Lowercase"))
    await expectNone()
    await page.waitForSelector(".compile-line[data-state=compiled]")
    expect(await page.textContent(".compile-line")).toBe("Compiles · 1 input · 1 module · 1 output")
    expect(await page.isEnabled("[data-action=stream]")).toBe(true)
  })

  it("falls back to the compile loop's diagnostics when a proxy refuses the WebSocket", async () => {
    await open(proxy.url)
    expect(proxy.refused()).toBeGreaterThan(0)
    await page.fill("textarea.editor-input", UNKNOWN_MODULE)
    await expectUnknownModule()
    expect(await page.getAttribute(".compile-status", "data-source")).toBe("compile")
    expect(published).toBe(0)
    await screenshot(page, "compile-diagnostics-fallback")

    await page.fill("textarea.editor-input", FIXED)
    await expectNone()
    await page.waitForSelector(".compile-line[data-state=compiled]")
    expect(await page.isEnabled("[data-action=stream]")).toBe(true)
  })
})
