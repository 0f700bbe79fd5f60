/**
 * Projections: a record of some fields of a value.
 *
 *     Projection := "{" FieldName ("," FieldName)* "}" | "[" FieldName ("," FieldName)* "]"
 *
 * Both spellings mean the same. The bracket must follow the value on the
 * same line, and what is inside must be names: `xs[0]` stays an attempt at
 * indexing (E109), and `x {a: 1}` is not a projection.
 */
import type { Expr } from "./ast.js"
import { fieldName, parseDelimited, type ParserState } from "./parserState.js"
import { isKeyword } from "./token.js"
import type { TokenKind } from "./token.js"

const isName = (kind: TokenKind): boolean => kind === "Ident" || isKeyword(kind)

/** True at `{a, ...}` (when `braces`) or `[a, ...]` right after a value on its line. */
export const atProjection = (p: ParserState, braces: boolean): boolean => {
  const open = p.token
  if (open.lineBreakBefore || !(open.kind === "[" || (braces && open.kind === "{"))) return false
  const close = open.kind === "[" ? "]" : "}"
  const after = p.peek(2).kind
  return isName(p.peek().kind) && (after === "," || after === close)
}

/** Projection := "{" FieldName ("," FieldName)* "}" | "[" FieldName ("," FieldName)* "]"; at `atProjection`. */
export const parseProjection = (p: ParserState, target: Expr): Expr => {
  const open = p.advance()
  const close = open.kind === "[" ? "]" : "}"
  const fields = parseDelimited(p, close, "the projection", open.span.start, (q) => fieldName(q, "Expected a field name in the projection"))
  return { _tag: "Projection", target, fields, span: p.spanFrom(target.span.start) }
}
