/**
 * The outputs of the current run, in the order they arrived, each with
 * its time since the run started; failed outputs show their error, and
 * the ones still to come wait at the end of the list. Once the editor shows
 * another pipeline than the one that ran, they are marked stale (dimmed,
 * with a note, and `data-stale="true"` on the panel).
 */
import { el, liveRegion, replaceChildren } from "./dom.js"
import { formatMs, formatValue } from "./format.js"
import type { OutputRun, RunState } from "./runState.js"

export interface OutputsPanel {
  readonly element: HTMLElement
  readonly update: (run: RunState | undefined) => void
  /** Marks the outputs as those of another pipeline than the one shown, or not. */
  readonly setStale: (stale: boolean) => void
}

const statusText: Record<OutputRun["status"], string> = {
  waiting: "waiting…",
  done: "arrived",
  failed: "failed",
  cancelled: "cancelled"
}

const row = (o: OutputRun): HTMLElement => {
  const body = o.status === "done" && o.value !== undefined
    ? el("pre", { class: "output-value", text: formatValue(o.value) })
    : o.status === "failed" && o.error !== undefined
    ? el("div", { class: "output-error" }, el("code", { text: o.error.code }), ` ${o.error.message}`)
    : el("div", { class: "output-pending", text: o.status === "waiting" ? "still running" : "never arrived" })
  return el("li", { class: "output", attrs: { "data-output": o.name, "data-status": o.status } },
    el("div", { class: "output-head" },
      el("span", { class: "output-name", text: o.name }),
      el("span", { class: "output-status", text: statusText[o.status] }),
      o.fromFallback && el("span", { class: "output-fallback", text: "fallback", attrs: { title: "Every attempt failed; this is the call's fallback value." } }),
      el("span", { class: "output-time", text: o.atMs === undefined ? "" : formatMs(o.atMs) })),
    body)
}

const byArrival = (a: OutputRun, b: OutputRun): number => (a.atMs ?? Infinity) - (b.atMs ?? Infinity)

/** What a screen reader hears when an output settles. */
const announcement = (o: OutputRun): string =>
  o.status === "failed" ? `${o.name} failed${o.error === undefined ? "" : `: ${o.error.message}`}` : `${o.name} arrived after ${formatMs(o.atMs ?? 0)}`

export const makeOutputsPanel = (): OutputsPanel => {
  const list = el("ol", { class: "outputs", attrs: { "aria-label": "Outputs" } })
  const live = liveRegion()
  const staleNote = el("p", { class: "outputs-stale-note", attrs: { role: "note" }, text: "From a run of another pipeline: run this one to replace them." })
  const element = el("div", { class: "outputs-panel", attrs: { "data-stale": "false" } }, staleNote, list, live.element)
  let drawn: RunState["outputs"] | undefined
  const update = (run: RunState | undefined) => {
    if (run?.outputs === drawn && drawn !== undefined) return
    if (run === undefined) {
      drawn = undefined
      element.dataset["stale"] = "false"
      replaceChildren(list, el("li", { class: "muted", text: "Run the pipeline to see its outputs arrive." }))
      return
    }
    const before = new Map((drawn ?? []).map((o) => [o.name, o.status]))
    const settled = run.outputs.filter((o) => (o.status === "done" || o.status === "failed") && before.get(o.name) !== o.status)
    if (settled.length > 0) live.say(settled.map(announcement).join(". "))
    drawn = run.outputs
    replaceChildren(list, ...[...run.outputs].sort(byArrival).map(row))
  }
  const setStale = (stale: boolean) => {
    element.dataset["stale"] = String(stale && drawn !== undefined)
  }
  update(undefined)
  return { element, update, setStale }
}
