/**
 * Source positions. Every token, AST node and diagnostic carries a `Span`.
 * Lines and columns are 1-based (what editors show); offsets are 0-based
 * UTF-16 indices into the source string, end exclusive.
 */
export interface Position {
  readonly line: number
  readonly column: number
  readonly offset: number
}

export interface Span {
  readonly start: Position
  readonly end: Position
}

/** A span covering `a` through `b`. */
export const joinSpans = (a: Span, b: Span): Span => ({ start: a.start, end: b.end })

/** The zero-width span at the start of a source. */
export const emptySpan: Span = {
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 }
}
