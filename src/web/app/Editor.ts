/**
 * The pipeline editor: a plain textarea with a line-number gutter, and an
 * overlay behind it that underlines each diagnostic at its line and column;
 * the message goes in a lens beside the line (see `EditorLenses.ts`). Long
 * lines wrap rather than scroll sideways: the overlay wraps them the same
 * way, and each line number takes its line's height.
 */
import type { DiagnosticWire } from "./diagnostics.js"
import { el, replaceChildren } from "./dom.js"
import { makeEditorLenses } from "./EditorLenses.js"

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

/** A line of the overlay: its text with the diagnostics' ranges underlined, and an end marker for a lens. */
const overlayLine = (text: string, ranges: ReadonlyArray<Range>, hasLens: boolean): HTMLElement => {
  const line = el("div", { class: "overlay-line" })
  let at = 0
  for (const r of ranges) {
    line.append(text.slice(at, r.from))
    // A range past the line's end (a missing token at the end) underlines a space.
    line.append(el("span", { class: "squiggle", text: r.from >= text.length ? " " : text.slice(r.from, r.to) }))
    at = Math.max(at, r.to)
  }
  line.append(text.slice(at))
  if (hasLens) line.append(el("span", { class: "eol" }))
  return line
}

/** The editor's padding under the text, in pixels (the stylesheet's). */
const TEXT_PADDING = 8

/** The 1-based line of an offset in `text`. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split("\n").length

export const makeEditor = (options: { readonly label: string; readonly describedBy: string }): Editor => {
  const textarea = el("textarea", {
    class: "editor-input",
    attrs: { "aria-label": options.label, "aria-describedby": options.describedBy, spellcheck: "false", wrap: "soft", autocapitalize: "off", autocomplete: "off" }
  })
  const gutter = el("div", { class: "gutter-lines" })
  const overlay = el("div", { class: "overlay-lines" })
  const lenses = makeEditorLenses()
  const code = el("div", { class: "editor-code" }, el("div", { class: "overlay", attrs: { "aria-hidden": "true" } }, overlay), textarea, lenses.element)
  const element = el("div", { class: "editor" }, el("div", { class: "gutter", attrs: { "aria-hidden": "true" } }, gutter), code)
  const listeners: Array<(source: string) => void> = []
  let diagnostics: ReadonlyArray<DiagnosticWire> = []

  /** What depends on how the lines wrap: each line number's height, and where the lenses go. */
  const layout = () => {
    const heights = [...overlay.children].map((line) => (line instanceof HTMLElement ? line.offsetHeight : 0))
    heights.forEach((h, i) => {
      const number = gutter.children[i]
      if (number instanceof HTMLElement) number.style.height = `${h}px`
    })
    // A lens under the last line needs room to scroll to.
    const below = lenses.layout(overlay) - overlay.offsetHeight
    textarea.style.paddingBottom = `${TEXT_PADDING + Math.max(0, below)}px`
    lenses.caretAt(lineAt(textarea.value, textarea.selectionStart))
  }

  const render = () => {
    const lines = textarea.value.split("\n")
    const byLine = rangesByLine(diagnostics, lines)
    const firstOf = new Map<number, DiagnosticWire>()
    for (const d of diagnostics) if (!firstOf.has(d.line)) firstOf.set(d.line, d)
    replaceChildren(gutter, ...lines.map((_, i) => {
      const d = firstOf.get(i + 1)
      return el("div", { class: ["gutter-line", d !== undefined && "has-error"], attrs: { "data-line": i + 1, title: d?.message } }, String(i + 1))
    }))
    replaceChildren(overlay, ...lines.map((text, i) => overlayLine(text, byLine.get(i + 1) ?? [], firstOf.has(i + 1))))
    lenses.set(diagnostics)
    layout()
    syncScroll()
  }

  const syncScroll = () => {
    const shift = `translateY(${-textarea.scrollTop}px)`
    gutter.style.transform = shift
    overlay.style.transform = shift
    lenses.scrollTo(textarea.scrollTop)
  }

  textarea.addEventListener("scroll", syncScroll)
  textarea.addEventListener("input", () => {
    render()
    for (const l of listeners) l(textarea.value)
  })
  document.addEventListener("selectionchange", () => {
    if (document.activeElement === textarea) lenses.caretAt(lineAt(textarea.value, textarea.selectionStart))
  })
  // Wrapping changes with the editor's width.
  new ResizeObserver(() => layout()).observe(code)

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
