/**
 * The waterfall of a streaming run: one bar per module from when it
 * started to when it finished (growing while it runs), and a mark for
 * each output when it arrived, on one axis of milliseconds since the run
 * started.
 */
import { el, replaceChildren } from "./dom.js"
import { formatMs } from "./format.js"
import { moduleId } from "./graph.js"
import type { PipelineGraph } from "./graph.js"
import { sinceStart } from "./runState.js"
import type { ModuleRun, RunState } from "./runState.js"

export interface Timeline {
  readonly element: HTMLElement
  /** Names each module's row after its node in the graph (`Delay → slow`). */
  readonly setGraph: (graph: PipelineGraph | undefined) => void
  readonly update: (run: RunState | undefined, elapsedMs: number) => void
}

/** A round step that cuts `span` into at most `count` parts: 1, 2 or 5 times a power of ten. */
export const tickStep = (span: number, count = 5): number => {
  const raw = Math.max(span, 1) / count
  const power = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power
}

const percent = (ms: number, scale: number): string => `${Math.min(100, Math.max(0, (100 * ms) / scale)).toFixed(2)}%`

interface Bar {
  readonly module: ModuleRun
  readonly from: number
  readonly to: number
}

const barsOf = (run: RunState, elapsedMs: number): ReadonlyArray<Bar> =>
  run.modules
    .flatMap((m): Array<Bar> => {
      if (m.startedTs === undefined) return []
      const from = sinceStart(run, m.startedTs)
      const to = m.endedTs !== undefined ? sinceStart(run, m.endedTs) : run.finishedMs ?? elapsedMs
      return [{ module: m, from, to: Math.max(to, from) }]
    })
    .sort((a, b) => a.from - b.from || a.module.node - b.module.node)

const axis = (scale: number): HTMLElement => {
  const step = tickStep(scale)
  const ticks: Array<HTMLElement> = []
  for (let t = 0; t <= scale + 1e-9; t += step) {
    const tick = el("span", { class: ["tick", t / scale > 0.92 && "tick-end"], text: formatMs(t) })
    tick.style.left = percent(t, scale)
    ticks.push(tick)
  }
  return el("div", { class: "wf-row wf-axis" }, el("span", { class: "wf-label" }), el("div", { class: "wf-track" }, ...ticks), el("span"))
}

const moduleRow = (bar: Bar, scale: number, label: string): HTMLElement => {
  const block = el("div", { class: "wf-bar", attrs: { "data-status": bar.module.status } })
  block.style.left = percent(bar.from, scale)
  block.style.width = `max(2px, ${percent(bar.to - bar.from, scale)})`
  const latency = bar.module.latencyMs === undefined ? "" : formatMs(bar.module.latencyMs)
  return el("div", { class: "wf-row", attrs: { "data-node": bar.module.node } },
    el("span", { class: "wf-label", text: label, attrs: { title: label } }),
    el("div", { class: "wf-track" }, block),
    el("span", { class: "wf-time", text: latency }))
}

/** Lanes for the output marks, so that labels close in time do not overlap. */
export const lanesOf = (positions: ReadonlyArray<{ readonly at: number; readonly width: number }>): ReadonlyArray<number> => {
  const laneEnds: Array<number> = []
  return positions.map(({ at, width }) => {
    const lane = laneEnds.findIndex((end) => end < at - width / 2)
    const chosen = lane < 0 ? laneEnds.length : lane
    laneEnds[chosen] = at + width / 2
    return chosen
  })
}

const LABEL_CHAR_PX = 7
const LANE_PX = 15

const outputsRow = (run: RunState, scale: number, trackPx: number): HTMLElement => {
  const arrived = run.outputs
    .flatMap((o) => (o.atMs === undefined || o.status === "cancelled" ? [] : [{ output: o, atMs: o.atMs }]))
    .sort((a, b) => a.atMs - b.atMs)
  const lanes = lanesOf(arrived.map((a) => ({ at: (a.atMs / scale) * trackPx, width: a.output.name.length * LABEL_CHAR_PX + 10 })))
  const marks = arrived.map(({ output, atMs }, i) => {
    const mark = el("span", { class: "wf-mark", attrs: { "data-status": output.status, title: `${output.name} at ${formatMs(atMs)}` } },
      el("span", { text: output.name }))
    mark.style.left = percent(atMs, scale)
    mark.style.setProperty("--lane", String(lanes[i] ?? 0))
    return mark
  })
  const track = el("div", { class: "wf-track" }, ...marks)
  track.style.height = `${26 + LANE_PX * Math.max(0, ...lanes)}px`
  return el("div", { class: "wf-row wf-outputs" }, el("span", { class: "wf-label", text: "outputs" }), track, el("span"))
}

export const makeTimeline = (): Timeline => {
  const body = el("div", { class: "waterfall", attrs: { role: "group", "aria-label": "Timeline of the modules" } })
  const element = el("div", { class: "timeline" }, body)
  // Read by a ResizeObserver, so that drawing never forces a layout.
  let trackPx = 500
  let labels = new Map<string, string>()
  new ResizeObserver((entries) => {
    for (const entry of entries) trackPx = Math.max(200, entry.contentRect.width - 260)
  }).observe(body)
  const update = (run: RunState | undefined, elapsedMs: number) => {
    if (run === undefined || run.mode === "batch") {
      const text = run === undefined
        ? "Run the pipeline with streaming to see when each module ran."
        : "A batch run only reports its final answer, so there is no timeline."
      replaceChildren(body, el("p", { class: "muted", text }))
      return
    }
    const bars = barsOf(run, elapsedMs)
    const ends = [...bars.map((b) => b.to), ...run.outputs.map((o) => o.atMs ?? 0), run.finishedMs ?? elapsedMs]
    const scale = Math.max(1, ...ends) * 1.04
    const labelOf = (m: ModuleRun) => labels.get(moduleId(m.node)) ?? `${m.module} #${m.node}`
    replaceChildren(body, axis(scale), ...bars.map((b) => moduleRow(b, scale, labelOf(b.module))), outputsRow(run, scale, trackPx))
  }
  const setGraph = (graph: PipelineGraph | undefined) => {
    labels = new Map((graph?.nodes ?? []).map((n) => [n.id, `${n.label} ${n.detail}`]))
  }
  update(undefined, 0)
  return { element, setGraph, update }
}
