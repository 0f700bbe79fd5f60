/**
 * Streaming against batch, side by side: when the first output arrived
 * with streaming (and the last), and when the batch answer arrived, for
 * the same pipeline and inputs.
 */
import { el, replaceChildren } from "./dom.js"
import { formatMs } from "./format.js"
import type { RunMode, RunState } from "./runState.js"

export interface Comparison {
  readonly element: HTMLElement
  /** Notes a finished run of the pipeline and inputs named by `key`. */
  readonly record: (key: string, run: RunState) => void
  /** Shows the figures of `key`. */
  readonly show: (key: string) => void
  /** Enables its run buttons when the source compiles. */
  readonly setCanRun: (canRun: boolean) => void
}

interface Figures {
  readonly firstMs: number
  readonly lastMs: number
}

const bar = (label: string, ms: number, scale: number, kind: string): HTMLElement => {
  const fill = el("div", { class: `cmp-fill cmp-${kind}` })
  fill.style.width = `${Math.max(1, (100 * ms) / scale).toFixed(2)}%`
  return el("div", { class: "cmp-bar" }, el("span", { class: "cmp-bar-label", text: label }), el("div", { class: "cmp-track" }, fill), el("span", { class: "cmp-bar-time", text: formatMs(ms) }))
}

const figure = (title: string, value: string, note: string, attrs: Record<string, string>): HTMLElement =>
  el("div", { class: "cmp-figure", attrs }, el("div", { class: "cmp-title", text: title }), el("div", { class: "cmp-value", text: value }), el("div", { class: "cmp-note", text: note }))

export const makeComparison = (options: { readonly run: (mode: RunMode) => void }): Comparison => {
  const body = el("div", { class: "comparison-body" })
  const element = el("div", { class: "comparison" }, body)
  const figures = new Map<string, Figures>()
  let canRun = false
  const setCanRun = (can: boolean) => {
    canRun = can
    for (const b of body.querySelectorAll("button")) b.disabled = !can
  }

  const record = (key: string, run: RunState) => {
    if (run.phase === "cancelled" || run.phase === "failed" || run.finishedMs === undefined) return
    figures.set(`${run.mode}|${key}`, { firstMs: run.firstOutputMs ?? run.finishedMs, lastMs: run.finishedMs })
  }

  const show = (key: string) => {
    const stream = figures.get(`stream|${key}`)
    const batch = figures.get(`batch|${key}`)
    const missing = (mode: RunMode, what: string) =>
      el("div", { class: "cmp-figure cmp-missing" }, el("div", { class: "cmp-title", text: mode === "stream" ? "Streaming" : "Batch" }),
        el("button", { class: "button secondary small", text: `Run ${what}`, attrs: { type: "button" } }))
    const streamPart = stream === undefined
      ? missing("stream", "streaming")
      : figure("Streaming · first output", formatMs(stream.firstMs), `all outputs after ${formatMs(stream.lastMs)}`, { "data-figure": "stream" })
    const batchPart = batch === undefined
      ? missing("batch", "batch")
      : figure("Batch · answer", formatMs(batch.lastMs), "every output at once", { "data-figure": "batch" })
    for (const [part, mode] of [[streamPart, "stream"], [batchPart, "batch"]] as const) {
      part.querySelector("button")?.addEventListener("click", () => options.run(mode))
    }
    const parts: Array<HTMLElement> = [el("div", { class: "cmp-figures" }, streamPart, batchPart)]
    if (stream !== undefined && batch !== undefined) {
      const scale = Math.max(stream.lastMs, batch.lastMs, 1) * 1.02
      const sooner = batch.lastMs - stream.firstMs
      parts.push(
        el("div", { class: "cmp-bars" },
          bar("first output, streaming", stream.firstMs, scale, "stream"),
          bar("all outputs, streaming", stream.lastMs, scale, "stream-all"),
          bar("answer, batch", batch.lastMs, scale, "batch")),
        el("p", { class: "cmp-summary", text: sooner > 0
          ? `Streaming showed the first output ${formatMs(sooner)} before the batch answer arrived.`
          : "Every output is ready at about the same time here, so streaming and batch arrive together." })
      )
    } else {
      parts.push(el("p", { class: "muted", text: "Run the same pipeline and inputs both ways to compare them." }))
    }
    replaceChildren(body, ...parts)
    setCanRun(canRun)
  }

  show("")
  return { element, record, show, setCanRun }
}
