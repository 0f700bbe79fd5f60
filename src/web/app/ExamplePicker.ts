/**
 * The example pipelines, one click away: a row of buttons, the chosen one
 * pressed.
 */
import type { Example } from "./api.js"
import { el, replaceChildren } from "./dom.js"

export interface ExamplePicker {
  readonly element: HTMLElement
  readonly setExamples: (examples: ReadonlyArray<Example>) => void
  /** Marks `name` as chosen; undefined once the user edits the source. */
  readonly setChosen: (name: string | undefined) => void
}

export const makeExamplePicker = (onPick: (example: Example) => void): ExamplePicker => {
  const element = el("div", { class: "examples", attrs: { role: "group", "aria-label": "Examples" } })
  let buttons: ReadonlyArray<{ readonly name: string; readonly button: HTMLButtonElement }> = []

  const setChosen = (name: string | undefined) => {
    for (const b of buttons) b.button.setAttribute("aria-pressed", String(b.name === name))
  }

  const setExamples = (examples: ReadonlyArray<Example>) => {
    buttons = examples.map((example) => {
      const button = el("button", { class: "chip", text: example.name, attrs: { type: "button", "data-example": example.name, "aria-pressed": "false" } })
      button.addEventListener("click", () => {
        setChosen(example.name)
        onPick(example)
      })
      return { name: example.name, button }
    })
    if (buttons.length === 0) replaceChildren(element)
    else replaceChildren(element, el("span", { class: "examples-label", text: "Examples" }), ...buttons.map((b) => b.button))
  }

  return { element, setExamples, setChosen }
}
