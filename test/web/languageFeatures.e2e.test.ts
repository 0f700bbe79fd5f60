/**
 * The dashboard's editor with the language server at GET /lsp, in a real
 * browser (Debian's Chromium): completion opened by Ctrl+Space and by
 * typing `.`, accepted with Enter, and the hover of the caret's name.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { launch, screenshot, unavailable } from "./support/browser.js"
import { startDashboardServer } from "./support/server.js"
import type { DashboardServer } from "./support/server.js"

if (unavailable !== undefined) console.warn(`Skipping the editor's language features in Chromium: ${unavailable}`)

let server: DashboardServer
let browser: Browser
let page: Page
let pageErrors: Array<string>

/** Puts `source` in the editor, the caret at its end, focused. */
const setSource = async (source: string) => {
  await page.fill("textarea.editor-input", source)
  await page.focus("textarea.editor-input")
  await page.$eval("textarea.editor-input", (t) => {
    if (t instanceof HTMLTextAreaElement) t.setSelectionRange(t.value.length, t.value.length)
  })
}

describe.skipIf(unavailable !== undefined)("the editor's language features in Chromium", () => {
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startDashboardServer(), launch()])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    pageErrors = []
    page.on("pageerror", (e) => pageErrors.push(e.message))
    await page.goto(`${server.url}/`)
    await page.waitForSelector(".compile-line[data-state=compiled]")
  })
  afterEach(async () => {
    expect(pageErrors).toEqual([])
    await page.close()
  })

  it("completes a module name on Ctrl+Space with its signature, and inserts it on Enter", async () => {
    await setSource("in text: String\nshout = Upp")
    await page.keyboard.press("Control+Space")
    await page.waitForSelector(".completion-item[data-label=Uppercase]")
    expect(await page.textContent(".completion-item[data-label=Uppercase] .completion-detail")).toBe("Uppercase(text: String): String")
    // Filtered by what is typed: only names starting with "Upp".
    const labels = await page.$$eval(".completion-item", (items) => items.map((i) => i.getAttribute("data-label")))
    expect(labels.every((l) => l?.toLowerCase().startsWith("upp"))).toBe(true)
    await screenshot(page, "editor-completion")
    await page.keyboard.press("Enter")
    expect(await page.inputValue("textarea.editor-input")).toBe("in text: String\nshout = Uppercase")
    expect(await page.isHidden(".completion")).toBe(true)
  })

  it("completes a record's fields after `.`", async () => {
    await setSource("in user: {name: String, age: Int}\nn = user")
    await page.keyboard.type(".")
    await page.waitForSelector(".completion-item[data-label=age]")
    const labels = await page.$$eval(".completion-item", (items) => items.map((i) => i.getAttribute("data-label")))
    expect(labels.sort()).toEqual(["age", "name"])
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Tab")
    expect(await page.inputValue("textarea.editor-input")).toBe("in user: {name: String, age: Int}\nn = user.name")
  })

  it("shows the hover of the name at the caret under the editor", async () => {
    await setSource("in text: String\nsize = TextLength(text)\nout size\n")
    await page.$eval("textarea.editor-input", (t) => {
      if (t instanceof HTMLTextAreaElement) t.setSelectionRange(17, 17)
    })
    await page.waitForFunction(() => document.querySelector(".editor-hover")?.textContent?.includes("(value) size: Int") === true)
    await page.$eval("textarea.editor-input", (t) => {
      if (t instanceof HTMLTextAreaElement) t.setSelectionRange(26, 26)
    })
    await page.waitForFunction(() => document.querySelector(".editor-hover")?.textContent?.includes("TextLength(text: String): Int") === true)
    await screenshot(page, "editor-hover")
  })
})
