/**
 * The compile status under the editor: a line saying whether the source
 * compiles, and every diagnostic with its line, column, code, message and
 * hint, and the other places it is about (the language server's related
 * locations); choosing one puts the caret there. `data-source` says where
 * the diagnostics came from (`lsp` or `compile`).
 */
import type { EditorDiagnostic, RelatedLocation } from "./diagnostics.js"
import { el, liveRegion, replaceChildren } from "./dom.js"

export type CompileStatus =
  | { readonly _tag: "Checking" }
  | { readonly _tag: "Compiled"; readonly summary: string }
  | { readonly _tag: "Invalid"; readonly diagnostics: ReadonlyArray<EditorDiagnostic> }
  | { readonly _tag: "Unavailable"; readonly message: string }

export interface DiagnosticsList {
  readonly element: HTMLElement
  readonly id: string
  /** Shows a status, its diagnostics from `from` (the language server's or the compile loop's). */
  readonly show: (status: CompileStatus, from?: "lsp" | "compile") => void
}

const headline = (status: CompileStatus): string => {
  switch (status._tag) {
    case "Checking":
      return "Checking…"
    case "Compiled":
      return `Compiles · ${status.summary}`
    case "Invalid":
      return `${status.diagnostics.length} problem${status.diagnostics.length === 1 ? "" : "s"}`
    case "Unavailable":
      return `Could not compile: ${status.message}`
  }
}

/** The id of the compile status, which describes the editor. */
export const COMPILE_STATUS_ID = "compile-status"

export const makeDiagnosticsList = (goTo: (line: number, column: number) => void): DiagnosticsList => {
  const id = COMPILE_STATUS_ID
  const line = el("div", { class: "compile-line", attrs: { "data-state": "checking" } })
  const list = el("ul", { class: "diagnostics" })
  const live = liveRegion()
  const element = el("div", { class: "compile-status", attrs: { id } }, line, list, live.element)
  let verdict = ""

  const relatedItem = (r: RelatedLocation): HTMLElement => {
    const button = el("button", { class: "diagnostic-related", attrs: { type: "button", "data-line": r.line, "data-column": r.column } },
      el("span", { class: "diagnostic-where", text: `${r.line}:${r.column}` }),
      el("span", { class: "diagnostic-message", text: r.message }))
    button.addEventListener("click", () => goTo(r.line, r.column))
    return button
  }

  const item = (d: EditorDiagnostic): HTMLElement => {
    const button = el("button", { class: "diagnostic", attrs: { type: "button", "data-line": d.line, "data-column": d.column } },
      el("span", { class: "diagnostic-where", text: `${d.line}:${d.column}` }),
      el("code", { class: "diagnostic-code", text: d.code }),
      el("span", { class: "diagnostic-message", text: d.message }),
      d.hint === undefined ? undefined : el("span", { class: "diagnostic-hint", text: d.hint }))
    button.addEventListener("click", () => goTo(d.line, d.column))
    return el("li", {}, button, ...(d.related ?? []).map(relatedItem))
  }

  const show = (status: CompileStatus, from: "lsp" | "compile" = "compile") => {
    element.dataset["source"] = from
    line.dataset["state"] = status._tag.toLowerCase()
    line.textContent = headline(status)
    // Announce a new verdict, not every keystroke's "Checking".
    if (status._tag !== "Checking" && line.textContent !== verdict) live.say(line.textContent)
    if (status._tag !== "Checking") verdict = line.textContent
    replaceChildren(list, ...(status._tag === "Invalid" ? status.diagnostics.map(item) : []))
  }
  return { element, id, show }
}
