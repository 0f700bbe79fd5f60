/**
 * Offsets to LSP positions and back. Compiler spans carry 0-based UTF-16
 * offsets, the unit LSP positions count in, so a position is found by a
 * binary search over the offsets where lines start.
 */
import type { Position, Range } from "vscode-languageserver"
import type { Span } from "../lang/span.js"

/** The line starts of one text, for converting offsets and positions. */
export interface LineIndex {
  readonly positionAt: (offset: number) => Position
  readonly offsetAt: (position: Position) => number
  readonly rangeOf: (span: Span) => Range
  readonly rangeOfOffsets: (start: number, end: number) => Range
}

/** Indexes the line starts of `text` (`\n`, `\r\n` and `\r` end a line, as in LSP). */
export const makeLineIndex = (text: string): LineIndex => {
  const starts: Array<number> = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++
      starts.push(i + 1)
    } else if (c === 10) starts.push(i + 1)
  }
  const clamp = (offset: number) => Math.max(0, Math.min(offset, text.length))
  const positionAt = (raw: number): Position => {
    const offset = clamp(raw)
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid]! <= offset) low = mid
      else high = mid - 1
    }
    return { line: low, character: offset - starts[low]! }
  }
  const offsetAt = (position: Position): number => {
    if (position.line < 0) return 0
    if (position.line >= starts.length) return text.length
    const start = starts[position.line]!
    let end = position.line + 1 < starts.length ? starts[position.line + 1]! : text.length
    // A character past the line's end stands at the end, before its line break.
    while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--
    return clamp(Math.min(start + Math.max(0, position.character), end))
  }
  const rangeOfOffsets = (start: number, end: number): Range => ({ start: positionAt(start), end: positionAt(Math.max(start, end)) })
  return { positionAt, offsetAt, rangeOfOffsets, rangeOf: (span) => rangeOfOffsets(span.start.offset, span.end.offset) }
}
