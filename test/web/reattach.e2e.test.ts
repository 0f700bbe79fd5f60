/**
 * The dashboard keeps a streamed run's execution id in its URL: a reload
 * mid-run re-attaches (what already arrived at once, the rest as it
 * comes, no second execution), and a second tab on the same URL follows
 * the same run. In Chromium against a real server on 127.0.0.1.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launch, screenshot, unavailable } from "./support/browser.js"
import { startDashboardServer } from "./support/server.js"
import type { DashboardServer } from "./support/server.js"

if (unavailable !== undefined) console.warn(`Skipping the dashboard's re-attach tests: ${unavailable}`)

/** A quick output, then one after 3 s: time to reload and to open a second tab. */
const slowPipeline = "in query: String\nquick = Uppercase(query)\nslow = Delay(query, 3000)\nout quick\nout slow\n"

let server: DashboardServer
let browser: Browser

const executionCount = async (): Promise<number> =>
  ((await (await fetch(`${server.url}/executions?limit=500`)).json()) as { executions: ReadonlyArray<unknown> }).executions.length

/** A page that records its uncaught errors. */
const openPage = async (): Promise<{ readonly page: Page; readonly errors: Array<string> }> => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const errors: Array<string> = []
  page.on("pageerror", (e) => errors.push(e.message))
  return { page, errors }
}

/** Types the slow pipeline, streams it, and waits for its quick output: the URL then names the execution. */
const startSlowRun = async (page: Page): Promise<string> => {
  await page.goto(`${server.url}/`)
  await page.waitForSelector(".compile-line[data-state=compiled]")
  await page.fill("textarea.editor-input", slowPipeline)
  await page.waitForSelector("#input-query")
  await page.fill("#input-query", "again")
  await page.waitForSelector(".compile-line[data-state=compiled]")
  await page.click("[data-action=stream]")
  await page.waitForSelector("[data-output=quick][data-status=done]")
  await page.waitForFunction(() => new URL(location.href).searchParams.has("execution"))
  return new URL(page.url()).searchParams.get("execution")!
}

const outputsOf = (page: Page) =>
  page.$$eval("[data-output]", (rows) => rows.map((r) => [r.getAttribute("data-output"), r.getAttribute("data-status")]))

describe.skipIf(unavailable !== undefined)("the dashboard re-attaches to a run", () => {
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startDashboardServer(), launch()])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it("a reload mid-run shows what arrived and the rest as it comes, from the same execution", async () => {
    const { page, errors } = await openPage()
    const executionId = await startSlowRun(page)
    const executions = await executionCount()
    await page.reload()
    await page.waitForSelector("[data-output=quick][data-status=done]")
    expect(await outputsOf(page)).toEqual([["quick", "done"], ["slow", "waiting"]])
    expect(await page.inputValue("textarea.editor-input")).toBe(slowPipeline)
    expect(await page.inputValue("#input-query")).toBe("again")
    await screenshot(page, "reattached-mid-run")
    await page.waitForSelector(".phase[data-phase=completed]", { timeout: 10_000 })
    expect(await outputsOf(page)).toEqual([["quick", "done"], ["slow", "done"]])
    expect(await page.textContent("[data-output=slow] .output-value")).toBe("\"again\"")
    expect(new URL(page.url()).searchParams.get("execution")).toBe(executionId)
    // The reload followed the run; it started none.
    expect(await executionCount()).toBe(executions)
    await page.close()
    expect(errors).toEqual([])
  })

  it("a second tab on the same URL follows the same run", async () => {
    const first = await openPage()
    await startSlowRun(first.page)
    const executions = await executionCount()
    const second = await openPage()
    await second.page.goto(first.page.url())
    await second.page.waitForSelector("[data-output=quick][data-status=done]")
    await Promise.all([first.page, second.page].map((p) => p.waitForSelector(".phase[data-phase=completed]", { timeout: 10_000 })))
    for (const { page } of [first, second]) expect(await outputsOf(page)).toEqual([["quick", "done"], ["slow", "done"]])
    await screenshot(second.page, "second-tab-completed")
    expect(await executionCount()).toBe(executions)
    for (const { page, errors } of [first, second]) {
      await page.close()
      expect(errors).toEqual([])
    }
  })
})
