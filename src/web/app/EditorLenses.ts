/**
 * The messages the editor writes beside its diagnostics ("lenses"), in a
 * layer above the text. A lens starts right after its line's text and
 * wraps in the room left to the editor's edge, hanging over the right of
 * the rows below (where lines are usually short); when that room is too
 * narrow, it goes under the line, right-aligned and wrapped to the editor's
 * width. Either way the whole message shows, never cut at the editor's
 * edge. A lens over other lines fades while the caret is on one of them.
 */
import type { DiagnosticWire } from "./diagnostics.js"
import { el, replaceChildren } from "./dom.js"

export interface EditorLenses {
  /** The layer; it takes the overlay's padding and scroll. */
  readonly element: HTMLElement
  /** One lens per line with diagnostics: the first one's code and message, and how many more. */
  readonly set: (diagnostics: ReadonlyArray<DiagnosticWire>) => void
  /**
   * Places the lenses against the overlay's lines, whose line `n` (1-based)
   * holds a zero-width `.eol` marker at its end when it has a lens. Returns
   * where the lowest lens ends, which may be below the last line.
   */
  readonly layout: (overlayLines: HTMLElement) => number
  /** Fades the lenses placed over `line` (1-based), the caret's. */
  readonly caretAt: (line: number) => void
  /** Follows the text's vertical scroll. */
  readonly scrollTo: (top: number) => void
}

/** Space between a line's text and its lens, in pixels. */
const GAP = 18
/** The narrowest room after a line's text a lens wraps in, in pixels; with less it goes under the line. */
const MIN_ROOM = 180

const lensText = (d: DiagnosticWire, more: number): string => `${d.code} ${d.message}${more > 0 ? ` (+${more} more)` : ""}`

export const makeEditorLenses = (): EditorLenses => {
  const layer = el("div", { class: "lens-layer" })
  const element = el("div", { class: "lenses", attrs: { "aria-hidden": "true" } }, layer)
  /** Each lens below its line, with the lines it covers. */
  let covering: Array<{ readonly lens: HTMLElement; readonly lines: ReadonlySet<number> }> = []

  const set = (diagnostics: ReadonlyArray<DiagnosticWire>) => {
    const byLine = new Map<number, Array<DiagnosticWire>>()
    for (const d of diagnostics) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d])
    const lenses = [...byLine.entries()].sort(([a], [b]) => a - b).map(([line, ds]) =>
      el("div", { class: "lens", attrs: { "data-line": line, "data-place": "inline" }, text: lensText(ds[0]!, ds.length - 1) }))
    replaceChildren(layer, ...lenses)
    covering = []
  }

  const layout = (overlayLines: HTMLElement) => {
    const width = overlayLines.clientWidth
    const lineElements = [...overlayLines.children].filter((c): c is HTMLElement => c instanceof HTMLElement)
    const lenses = [...layer.children].filter((c): c is HTMLElement => c instanceof HTMLElement)
    covering = []
    const lineHeight = Number.parseFloat(getComputedStyle(overlayLines).lineHeight)
    let floor = 0
    for (const lens of lenses) {
      const line = Number(lens.dataset["line"])
      const lineElement = lineElements[line - 1]
      const marker = lineElement?.querySelector<HTMLElement>(".eol")
      if (lineElement === undefined || marker === null || marker === undefined) {
        lens.hidden = true
        continue
      }
      lens.hidden = false
      // The marker is an empty inline box, centred in its row by the half-leading.
      const rowTop = Math.round(marker.offsetTop - (lineHeight - marker.offsetHeight) / 2)
      const x = marker.offsetLeft + GAP
      const beside = width - x >= MIN_ROOM && rowTop >= floor
      lens.dataset["place"] = "inline"
      lens.style.maxWidth = `${beside ? width - x : width}px`
      if (beside && lens.offsetHeight > lineHeight + 1) lens.dataset["place"] = "hanging"
      if (!beside) lens.dataset["place"] = "below"
      const top = beside ? rowTop : Math.max(lineElement.offsetTop + lineElement.offsetHeight, floor)
      lens.style.left = `${beside ? x : width - lens.offsetWidth}px`
      lens.style.top = `${top}px`
      floor = top + lens.offsetHeight
      const covered = new Set<number>()
      lineElements.forEach((other, i) => {
        if (i + 1 !== line && other.offsetTop < floor && other.offsetTop + other.offsetHeight > top) covered.add(i + 1)
      })
      if (covered.size > 0) covering.push({ lens, lines: covered })
    }
    return floor
  }

  const caretAt = (line: number) => {
    for (const { lens, lines } of covering) lens.dataset["faded"] = String(lines.has(line))
  }

  const scrollTo = (top: number) => {
    layer.style.transform = `translateY(${-top}px)`
  }

  return { element, set, layout, caretAt, scrollTo }
}
