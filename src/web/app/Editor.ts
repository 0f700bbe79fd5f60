/**
 * The pipeline editor: a plain textarea with a line-number gutter, and an
 * overlay behind it that underlines each diagnostic at its line and column
 * and writes its message at the end of that line.
 */
import type { DiagnosticWire } from "./diagnostics.js"
import { el, replaceChildren } from "./dom.js"

export interface Editor {
  readonly element: HTMLElement
  readonly textarea: HTMLTextAreaElement
  readonly value: () => string
  /** Replaces the source (as when an example is picked); listeners are told. */
  readonly setValue: (source: string) => void
  readonly setDiagnostics: (diagnostics: ReadonlyArray<DiagnosticWire>) => void
  /** Puts the caret at a 1-based line and column and focuses the editor. */
  readonly focusAt: (line: number, column: number) => void
  readonly onChange: (listener: (source: string) => void) => void
}

interface Range {
  readonly from: number
  readonly to: number
}

/** The underlined column ranges (0-based, end exclusive) of each line, merged. */
const rangesByLine = (diagnostics: ReadonlyArray<DiagnosticWire>, lines: ReadonlyArray<string>): Map<number, Array<Range>> => {
  const byLine = new Map<number, Array<Range>>()
  for (const d of diagnostics) {
    const text = lines[d.line - 1] ?? ""
    const from = Math.min(d.column - 1, text.length)
    const end = d.endLine === d.line ? d.endColumn - 1 : text.length
    const ranges = byLine.get(d.line) ?? []
    ranges.push({ from, to: Math.max(end, from + 1) })
    byLine.set(d.line, ranges)
  }
  for (const ranges of byLine.values()) {
    ranges.sort((a, b) => a.from - b.from)
    for (let i = ranges.length - 1; i > 0; i--) {
      const [prev, cur] = [ranges[i - 1], ranges[i]]
      if (prev !== undefined && cur !== undefined && cur.from <= prev.to) ranges.splice(i - 1, 2, { from: prev.from, to: Math.max(prev.to, cur.to) })
    }
  }
  return byLine
}

const overlayLine = (text: string, ranges: ReadonlyArray<Range>, lens: string | undefined): HTMLElement => {
  const line = el("div", { class: "overlay-line" })
  let at = 0
  for (const r of ranges) {
    line.append(text.slice(at, r.from))
    // A range past the line's end (a missing token at the end) underlines a space.
    line.append(el("span", { class: "squiggle", text: r.from >= text.length ? " " : text.slice(r.from, r.to) }))
    at = Math.max(at, r.to)
  }
  line.append(text.slice(at))
  if (lens !== undefined) line.append(el("span", { class: "lens", text: lens }))
  return line
}

export const makeEditor = (options: { readonly label: string; readonly describedBy: string }): Editor => {
  const textarea = el("textarea", {
    class: "editor-input",
    attrs: { "aria-label": options.label, "aria-describedby": options.describedBy, spellcheck: "false", wrap: "off", autocapitalize: "off", autocomplete: "off" }
  })
  const gutter = el("div", { class: "gutter-lines" })
  const overlay = el("div", { class: "overlay-lines" })
  const element = el("div", { class: "editor" },
    el("div", { class: "gutter", attrs: { "aria-hidden": "true" } }, gutter),
    el("div", { class: "editor-code" }, el("div", { class: "overlay", attrs: { "aria-hidden": "true" } }, overlay), textarea))
  const listeners: Array<(source: string) => void> = []
  let diagnostics: ReadonlyArray<DiagnosticWire> = []

  const render = () => {
    const lines = textarea.value.split("\n")
    const byLine = rangesByLine(diagnostics, lines)
    const firstOf = new Map<number, DiagnosticWire>()
    for (const d of diagnostics) if (!firstOf.has(d.line)) firstOf.set(d.line, d)
    replaceChildren(gutter, ...lines.map((_, i) => {
      const d = firstOf.get(i + 1)
      return el("div", { class: ["gutter-line", d !== undefined && "has-error"], attrs: { "data-line": i + 1, title: d?.message } }, String(i + 1))
    }))
    replaceChildren(overlay, ...lines.map((text, i) => {
      const d = firstOf.get(i + 1)
      const more = diagnostics.filter((x) => x.line === i + 1).length - 1
      const lens = d === undefined ? undefined : `${d.code} ${d.message}${more > 0 ? ` (+${more} more)` : ""}`
      return overlayLine(text, byLine.get(i + 1) ?? [], lens)
    }))
    syncScroll()
  }

  const syncScroll = () => {
    gutter.style.transform = `translateY(${-textarea.scrollTop}px)`
    overlay.style.transform = `translate(${-textarea.scrollLeft}px, ${-textarea.scrollTop}px)`
  }

  textarea.addEventListener("scroll", syncScroll)
  textarea.addEventListener("input", () => {
    render()
    for (const l of listeners) l(textarea.value)
  })

  return {
    element,
    textarea,
    value: () => textarea.value,
    setValue: (source) => {
      textarea.value = source
      textarea.scrollTop = 0
      render()
      for (const l of listeners) l(source)
    },
    setDiagnostics: (next) => {
      diagnostics = next
      render()
    },
    focusAt: (line, column) => {
      const lines = textarea.value.split("\n")
      const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1
      textarea.focus()
      textarea.setSelectionRange(offset, offset)
    },
    onChange: (listener) => listeners.push(listener)
  }
}
