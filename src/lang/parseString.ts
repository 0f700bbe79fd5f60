/**
 * String literals. The lexer has already split a string into text runs and
 * `${ ... }` interpolations, and guarantees they are balanced.
 *
 * The parts never hold an empty text, except that a string without
 * interpolations always has exactly one text part: `""` is `[Text ""]`,
 * `"${a}"` is `[Interpolation a]`, `"x${a}${b}"` is `[Text x, Interpolation a, Interpolation b]`.
 */
import type { StringLiteral, StringPart } from "./ast.js"
import { parseExpression } from "./parseExpression.js"
import type { ParserState } from "./parserState.js"

/** String := StringStart (StringText | InterpStart Expression InterpEnd)* StringEnd */
export const parseString = (p: ParserState): StringLiteral => {
  const start = p.advance().span.start
  const parts: Array<StringPart> = []
  while (!p.recovering) {
    const token = p.token
    if (token.kind === "StringText") {
      p.advance()
      parts.push({ _tag: "Text", value: token.text })
    } else if (token.kind === "InterpStart") {
      p.advance()
      parts.push({ _tag: "Interpolation", expr: parseExpression(p) })
      const open = token.span.start
      p.expect("InterpEnd", `Expected '}' to close the interpolation that starts at ${open.line}:${open.column}`)
    } else {
      p.expect("StringEnd", "Expected the end of the string")
      break
    }
  }
  if (parts.length === 0) parts.push({ _tag: "Text", value: "" })
  return { _tag: "StringLiteral", parts, span: p.spanFrom(start) }
}
