/**
 * The dashboard in a real browser (Debian's Chromium through
 * playwright-core) against a real server on 127.0.0.1: streaming outputs
 * arrive one by one, the graph's nodes reach their final colours, compile
 * errors show at their line, and cancel stops the run on the server too.
 * Every test saves a screenshot under test-output/screenshots/.
 */
import * as metrics from "../support/metrics.js"
import type { Browser, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { example } from "../http/support/pipelines.js"
import { launch, screenshot, unavailable } from "./support/browser.js"
import { compiled } from "./support/compiled.js"
import { startDashboardServer } from "./support/server.js"
import type { DashboardServer } from "./support/server.js"

if (unavailable !== undefined) console.warn(`Skipping the dashboard's browser tests: ${unavailable}`)

/** The done colour of a module node's box (the stylesheet's #dcfce7). */
const DONE_FILL = "rgb(220, 252, 231)"

/** A quick output, then one that takes 5 s: long enough to cancel. */
const slowPipeline = "in query: String\nquick = Uppercase(query)\nslow = Delay(query, 5000)\nout quick\nout slow\n"

let server: DashboardServer
let browser: Browser
let page: Page
/** Every URL the page asked for. */
let requested: Array<string>
/** Uncaught errors of the page's code. */
let pageErrors: Array<string>

const metric = (name: string): Promise<number> => metrics.metric(server.url, name, Number.NaN)

const activeExecutions = async (): Promise<number> => {
  const body: unknown = await (await fetch(`${server.url}/health/ready`)).json()
  return typeof body === "object" && body !== null && "activeExecutions" in body ? Number(body.activeExecutions) : Number.NaN
}

/** The module node that computes output `name`, as the graph names it. */
const moduleOf = async (source: string, name: string): Promise<string> => {
  const { dag } = await compiled(source)
  const binding = dag.outputs.find((b) => b.name === name)
  const data = binding === undefined ? undefined : dag.data[binding.data]
  if (data?.source._tag !== "Module") throw new Error(`${name} is not computed by a module`)
  return `m${data.source.module}`
}

const statusOf = (selector: string) => page.getAttribute(selector, "data-status")

/** Opens the page on an example and waits until it compiled. */
const openExample = async (name: string) => {
  await page.goto(`${server.url}/`)
  await page.click(`[data-example="${name}"]`)
  await page.waitForSelector(".compile-line[data-state=compiled]")
  await page.waitForSelector("[data-node-id]")
}

/** Replaces the editor's source and waits for the compile's verdict. */
const typeSource = async (source: string, verdict: "compiled" | "invalid") => {
  await page.goto(`${server.url}/`)
  await page.waitForSelector(".compile-line[data-state=compiled]")
  await page.fill("textarea.editor-input", source)
  await page.waitForSelector(`.compile-line[data-state=${verdict}]`)
}

describe.skipIf(unavailable !== undefined)("the dashboard in Chromium", () => {
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startDashboardServer(), launch()])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    requested = []
    pageErrors = []
    page.on("request", (r) => requested.push(r.url()))
    page.on("pageerror", (e) => pageErrors.push(e.message))
  })
  afterEach(async () => {
    await page.close()
    expect(pageErrors).toEqual([])
  })

  it("shows the fast output while the slow one is still running, then every node done", async () => {
    const slowModule = await moduleOf(example("fan-out"), "slow")
    await openExample("fan-out")
    expect(await page.inputValue("#input-query")).toBe("constellation")
    expect(await page.locator("[data-node-id]").count()).toBe(9)

    await page.click("[data-action=stream]")
    await page.waitForSelector("[data-output=quick][data-status=done]")
    const midway = await page.evaluate((slow) => ({
      quick: document.querySelector("[data-output=quick] .output-value")?.textContent,
      quickTime: document.querySelector("[data-output=quick] .output-time")?.textContent,
      slowOutput: document.querySelector("[data-output=slow]")?.getAttribute("data-status"),
      slowNode: document.querySelector(`[data-node-id="${slow}"]`)?.getAttribute("data-status"),
      slowOutputNode: document.querySelector("[data-node-id=\"out:slow\"]")?.getAttribute("data-status"),
      phase: document.querySelector(".phase")?.getAttribute("data-phase")
    }), slowModule)
    await screenshot(page, "fan-out-first-output")
    expect(midway).toMatchObject({ quick: "\"CONSTELLATION\"", slowOutput: "waiting", slowNode: "running", slowOutputNode: "queued", phase: "running" })
    expect(midway.quickTime).toMatch(/^\d+ ms$/)

    await page.waitForSelector(".phase[data-phase=completed]")
    const statuses = await page.$$eval("[data-node-id]", (nodes) => nodes.map((n) => n.getAttribute("data-status")))
    expect(statuses).toEqual(Array(9).fill("done"))
    expect(await page.textContent(".progress-count")).toBe("5 / 5 modules")
    expect(await page.locator(".wf-bar[data-status=done]").count()).toBe(5)
    expect(await page.textContent(`[data-node-id="${slowModule}"] .node-caption`)).toMatch(/^\d+ ms$/)
    // Wait out the colour transition, then read the colour the user sees.
    await page.waitForFunction((fill) => {
      const box = document.querySelector("[data-node-id=m0] .node-box")
      return box !== null && getComputedStyle(box).fill === fill
    }, DONE_FILL)
    await screenshot(page, "fan-out-completed")
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`) && !url.startsWith("data:"))).toEqual([])
  })

  it("compares when the first streamed output and the batch answer arrived", async () => {
    await openExample("fan-out")
    await page.keyboard.press("Control+Enter")
    await page.waitForSelector(".phase[data-phase=completed]")
    await page.keyboard.press("Control+Shift+Enter")
    await page.waitForSelector("[data-figure=batch]")
    const ms = async (selector: string) => Number((await page.textContent(selector))?.replace(" ms", ""))
    const first = await ms("[data-figure=stream] .cmp-value")
    const batch = await ms("[data-figure=batch] .cmp-value")
    await screenshot(page, "streaming-vs-batch")
    expect(first).toBeLessThan(batch)
    expect(batch).toBeGreaterThanOrEqual(500)
    expect(await page.textContent(".cmp-summary")).toContain("before the batch answer arrived")
  })

  it("shows a compile error at its line and column as the user types", async () => {
    await typeSource("in text: String\nout upper\nupper = Upper(text)\n", "invalid")
    await page.waitForSelector(".gutter-line.has-error[data-line=\"3\"]")
    expect(await page.locator(".gutter-line.has-error").count()).toBe(1)
    expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-where")).toBe("3:9")
    expect(await page.textContent(".diagnostic[data-line=\"3\"] .diagnostic-code")).toBe("E400")
    expect(await page.textContent(".overlay-line:nth-child(3) .squiggle")).toBe("Upper")
    expect(await page.textContent(".lens[data-line=\"3\"]")).toContain("Unknown module `Upper`")
    expect(await page.isDisabled("[data-action=stream]")).toBe(true)
    await screenshot(page, "compile-error")

    await page.click(".diagnostic[data-line=\"3\"]")
    const caret = await page.$eval("textarea.editor-input", (t) => (t instanceof HTMLTextAreaElement ? t.selectionStart : -1))
    expect(caret).toBe("in text: String\nout upper\n".length + 8)
  })

  it("wraps a long line and shows its diagnostic whole, inside the editor", async () => {
    const long = `upper = Concat(Concat(text, " and some more words to make this line longer than the editor is wide"), Upper(text))`
    await typeSource(`in text: String\nout upper\n${long}\nout text\n`, "invalid")
    const message = "E400 Unknown module `Upper`: no module of that name is registered."
    await page.waitForSelector(".lens[data-line=\"3\"]")
    const seen = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect()
      const lens = document.querySelector<HTMLElement>(".lens[data-line=\"3\"]")!
      const textarea = document.querySelector<HTMLTextAreaElement>("textarea.editor-input")!
      return {
        code: box(".editor-code").toJSON() as DOMRect,
        lens: box(".lens[data-line=\"3\"]").toJSON() as DOMRect,
        text: lens.textContent,
        clipped: lens.scrollWidth > lens.clientWidth || lens.scrollHeight > lens.clientHeight,
        opacity: getComputedStyle(lens).opacity,
        sideways: textarea.scrollWidth > textarea.clientWidth,
        numberHeight: document.querySelector<HTMLElement>(".gutter-line[data-line=\"3\"]")!.offsetHeight,
        rowHeight: document.querySelector<HTMLElement>(".gutter-line[data-line=\"1\"]")!.offsetHeight
      }
    })
    await screenshot(page, "long-line-diagnostic")
    expect(seen.text).toBe(message)
    expect(seen.clipped).toBe(false)
    expect(seen.opacity).toBe("1")
    expect(seen.lens.left).toBeGreaterThanOrEqual(seen.code.left)
    expect(seen.lens.right).toBeLessThanOrEqual(seen.code.right)
    expect(seen.lens.bottom).toBeLessThanOrEqual(seen.code.bottom)
    // The line wraps instead of scrolling sideways, and its number takes the wrapped rows' height.
    expect(seen.sideways).toBe(false)
    expect(seen.numberHeight).toBeGreaterThanOrEqual(2 * seen.rowHeight)

    // The lens hangs over line 4: it fades while the caret is there.
    await page.focus("textarea.editor-input")
    await page.keyboard.press("Control+End")
    await page.keyboard.press("ArrowUp")
    await page.waitForSelector(".lens[data-line=\"3\"][data-faded=true]")
    await page.keyboard.press("ArrowUp")
    await page.waitForSelector(".lens[data-line=\"3\"][data-faded=false]")
  })

  it("cuts a wide record type in the graph, with the whole type in the node's tooltip", async () => {
    const type = "{name: String, age: Int, email: Optional<String>, address: {street: String, city: String}}"
    await typeSource(`in user: ${type}\nout user\n`, "compiled")
    await page.waitForSelector("[data-node-id=\"in:user\"]")
    const node = await page.evaluate(() => {
      const group = document.querySelector("[data-node-id=\"in:user\"]")!
      return {
        caption: group.querySelector(".node-caption")?.textContent,
        tooltip: group.querySelector("title")?.textContent,
        width: Number(group.querySelector(".node-box")?.getAttribute("width"))
      }
    })
    await screenshot(page, "wide-type")
    expect(node.caption).toBe(`${type.slice(0, 29)}…`)
    expect(node.tooltip).toBe(`input user: ${type}`)
    expect(node.width).toBeLessThan(260)
  })

  it("marks the outputs of the previous pipeline stale once another one is shown", async () => {
    await openExample("fan-out")
    await page.click("[data-action=stream]")
    await page.waitForSelector(".phase[data-phase=completed]")
    expect(await page.getAttribute(".outputs-panel", "data-stale")).toBe("false")
    expect(await page.isVisible(".outputs-stale-note")).toBe(false)

    await page.click("[data-example=hello]")
    await page.waitForSelector(".outputs-panel[data-stale=true]")
    expect(await page.isVisible(".outputs-stale-note")).toBe(true)
    expect(await page.textContent("[data-output=quick] .output-value")).toBe("\"CONSTELLATION\"")
    // The graph and the timeline picture the pipeline shown: not the other one's run.
    expect(await page.locator(".wf-bar").count()).toBe(0)
    expect(await page.$$eval("[data-node-id]", (nodes) => nodes.map((n) => n.getAttribute("data-status")))).toEqual(["idle", "idle", "idle"])
    await screenshot(page, "stale-outputs")

    // Back on the pipeline that ran, its outputs are current again; a run of the new one replaces them.
    await page.click("[data-example=fan-out]")
    await page.waitForSelector(".outputs-panel[data-stale=false]")
    expect(await page.locator(".wf-bar[data-status=done]").count()).toBe(5)
    await page.click("[data-example=hello]")
    await page.waitForSelector(".outputs-panel[data-stale=true]")
    await page.click("[data-action=stream]")
    await page.waitForSelector(".outputs-panel[data-stale=false] [data-output=upper][data-status=done]")
    expect(await page.locator("[data-output=quick]").count()).toBe(0)
  })

  it("generates the inputs form from the input types, pre-filled from @example", async () => {
    await openExample("data-stats")
    expect(await page.getAttribute("#input-count", "type")).toBe("number")
    expect(await page.inputValue("#input-count")).toBe("10")
    await page.fill("#input-count", "1.5")
    await page.click("[data-action=stream]")
    expect(await page.textContent("#input-count-error")).toBe("count expects a whole number")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("input-count")
    await screenshot(page, "inputs-form")
  })

  it("cancel stops the run, and the server's work", async () => {
    const interruptedBefore = await metric("constellation_modules_interrupted_total")
    const slowModule = await moduleOf(slowPipeline, "slow")
    await typeSource(slowPipeline, "compiled")
    await page.fill("#input-query", "cancel me")
    await page.keyboard.press("Control+Enter")
    await page.waitForSelector("[data-output=quick][data-status=done]")
    await page.waitForSelector(`[data-node-id="${slowModule}"][data-status=running]`)
    await screenshot(page, "running")

    await page.keyboard.press("Escape")
    await page.waitForSelector(".phase[data-phase=cancelled]")
    expect(await statusOf(`[data-node-id="${slowModule}"]`)).toBe("cancelled")
    expect(await statusOf("[data-output=slow]")).toBe("cancelled")
    expect(await statusOf("[data-output=quick]")).toBe("done")
    expect(await page.isDisabled("[data-action=cancel]")).toBe(true)
    await screenshot(page, "cancelled")

    // The server interrupted the module long before its 5 s were up.
    const deadline = Date.now() + 3000
    while (Date.now() < deadline && (await activeExecutions() > 0 || await metric("constellation_modules_interrupted_total") <= interruptedBefore)) {
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(await activeExecutions()).toBe(0)
    expect(await metric("constellation_modules_interrupted_total")).toBeGreaterThan(interruptedBefore)
  })
})
