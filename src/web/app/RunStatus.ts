/**
 * The run's headline: its phase, the time since it started (ticking while
 * it runs), and a progress bar of modules done of all modules.
 */
import { el, liveRegion } from "./dom.js"
import { formatMs } from "./format.js"
import type { RunPhase, RunState } from "./runState.js"

export interface RunStatus {
  readonly element: HTMLElement
  /** `elapsedMs` is the time since the run started, for a run still going. */
  readonly update: (run: RunState | undefined, elapsedMs: number) => void
}

const phaseText: Record<RunPhase, string> = {
  running: "Running",
  completed: "Completed",
  partial: "Partly failed",
  failed: "Failed",
  cancelled: "Cancelled"
}

export const makeRunStatus = (): RunStatus => {
  const pill = el("span", { class: "phase", attrs: { "data-phase": "idle" }, text: "Ready" })
  const mode = el("span", { class: "run-mode" })
  const clock = el("span", { class: "run-clock", attrs: { "aria-label": "Time since the run started" } })
  const fill = el("div", { class: "progress-fill" })
  const bar = el("div", {
    class: "progress",
    attrs: { role: "progressbar", "aria-label": "Modules done", "aria-valuemin": 0, "aria-valuemax": 0, "aria-valuenow": 0 }
  }, fill)
  const count = el("span", { class: "progress-count" })
  const message = el("div", { class: "run-message", attrs: { role: "status" } })
  const live = liveRegion()
  let said: RunState | undefined
  const element = el("div", { class: "run-status" }, live.element,
    el("div", { class: "run-line" }, pill, mode, clock),
    el("div", { class: "progress-line" }, bar, count),
    message)

  const update = (run: RunState | undefined, elapsedMs: number) => {
    pill.dataset["phase"] = run?.phase ?? "idle"
    pill.textContent = run === undefined ? "Ready" : phaseText[run.phase]
    mode.textContent = run === undefined ? "" : run.mode === "stream" ? "streaming" : "batch"
    clock.textContent = run === undefined ? "" : formatMs(run.finishedMs ?? elapsedMs)
    const { completed, total } = run?.progress ?? { completed: 0, total: 0 }
    const known = run !== undefined && run.mode === "stream"
    fill.style.width = `${known && total > 0 ? (100 * completed) / total : run?.finishedMs !== undefined ? 100 : 0}%`
    bar.setAttribute("aria-valuemax", String(total))
    bar.setAttribute("aria-valuenow", String(known ? completed : 0))
    count.textContent = known ? `${completed} / ${total} modules` : run === undefined ? "" : "batch: no progress until the answer"
    message.textContent = run?.message !== undefined && run.phase !== "cancelled" ? run.message : ""
    if (run !== undefined && run !== said && run.finishedMs !== undefined && said?.finishedMs === undefined) {
      live.say(`Run ${phaseText[run.phase].toLowerCase()} after ${formatMs(run.finishedMs)}`)
    }
    said = run
  }
  update(undefined, 0)
  return { element, update }
}
