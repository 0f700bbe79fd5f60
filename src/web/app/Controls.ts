/**
 * The run buttons: Run (streaming, Ctrl+Enter), Run batch
 * (Ctrl+Shift+Enter) and Cancel (Escape), enabled when they can act.
 */
import { el } from "./dom.js"

export interface Controls {
  readonly element: HTMLElement
  readonly setState: (state: { readonly canRun: boolean; readonly running: boolean }) => void
}

export interface ControlActions {
  readonly stream: () => void
  readonly batch: () => void
  readonly cancel: () => void
}

const button = (label: string, kind: string, keys: string, action: () => void): HTMLButtonElement => {
  const b = el("button", { class: `button ${kind}`, attrs: { type: "button", "aria-keyshortcuts": keys } }, label)
  b.addEventListener("click", action)
  return b
}

export const makeControls = (actions: ControlActions): Controls => {
  const stream = button("Run", "primary", "Control+Enter", actions.stream)
  stream.dataset["action"] = "stream"
  const batch = button("Run batch", "secondary", "Control+Shift+Enter", actions.batch)
  batch.dataset["action"] = "batch"
  const cancel = button("Cancel", "danger", "Escape", actions.cancel)
  cancel.dataset["action"] = "cancel"
  const hint = el("p", { class: "keys" },
    el("kbd", { text: "Ctrl" }), "+", el("kbd", { text: "Enter" }), " runs with streaming · ",
    el("kbd", { text: "Ctrl" }), "+", el("kbd", { text: "Shift" }), "+", el("kbd", { text: "Enter" }), " batch · ",
    el("kbd", { text: "Esc" }), " cancels")
  const element = el("div", { class: "controls" }, el("div", { class: "buttons" }, stream, batch, cancel), hint)
  const setState = ({ canRun, running }: { readonly canRun: boolean; readonly running: boolean }) => {
    stream.disabled = !canRun
    batch.disabled = !canRun
    cancel.disabled = !running
  }
  setState({ canRun: false, running: false })
  return { element, setState }
}

/** Ctrl (or Cmd) + Enter runs, with Shift as batch; Escape cancels. */
export const bindKeys = (actions: ControlActions): void => {
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      if (e.shiftKey) actions.batch()
      else actions.stream()
    } else if (e.key === "Escape") {
      actions.cancel()
    }
  })
}
