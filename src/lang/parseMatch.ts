/**
 * `match` expressions and their patterns.
 *
 *     Match         := "match" MatchTarget "{" MatchArm ("," MatchArm)* ","? "}"
 *     MatchTarget   := Primary ("." FieldName | "[" FieldName ("," FieldName)* "]")*
 *     MatchArm      := Pattern "->" Expression
 *     Pattern       := "{" FieldName ("," FieldName)* ","? "}"   a record with these fields
 *                    | "is" Type                                 a value of this type
 *                    | "_"                                       anything
 *
 * The value matched is a primary expression with field accesses and
 * bracket projections after it, never a `{...}` projection: its `{` opens
 * the arms.
 */
import type { Expr, MatchArm, Pattern } from "./ast.js"
import { parseExpression, postfixChain } from "./parseExpression.js"
import { parsePrimary } from "./parsePrimary.js"
import { fieldName, parseDelimited, type ParserState } from "./parserState.js"
import { parseType } from "./parseType.js"

const patternHint = "The patterns are `{name, age} -> ...` (a record with these fields), `is Int -> ...` (a value of a type) and `_ -> ...` (anything)."

/** Match := "match" MatchTarget "{" MatchArm ("," MatchArm)* ","? "}" */
export const parseMatch = (p: ParserState): Expr => {
  const start = p.advance().span.start
  const scrutinee = postfixChain(p, parsePrimary(p), false)
  const open = p.expect("{", "Expected '{' and the arms of the match after the value it matches",
    "Write the arms in braces: match x { is Int -> 1, _ -> 0 }.")
  if (open === undefined) return { _tag: "Match", scrutinee, arms: [], span: p.spanFrom(start) }
  const arms = parseDelimited(p, "}", "the match", open.span.start, parseArm)
  if (arms.length === 0 && !p.recovering) {
    p.failAt("UnexpectedToken", "A match needs at least one arm.", { start: open.span.start, end: p.lastEnd }, patternHint)
  }
  return { _tag: "Match", scrutinee, arms, span: p.spanFrom(start) }
}

/** True at `->`, which the lexer reads as `-` and `>` when they touch. */
const atArrow = (p: ParserState): boolean => {
  const token = p.token
  if (token.text === "->") return true
  const next = p.peek()
  return token.kind === "-" && next.kind === ">" && next.span.start.offset === token.span.end.offset
}

/** MatchArm := Pattern "->" Expression */
const parseArm = (p: ParserState): MatchArm | undefined => {
  const pattern = parsePattern(p)
  if (pattern === undefined || p.recovering) return undefined
  if (!atArrow(p)) {
    p.fail("UnexpectedToken", `Expected '->' after the pattern, found ${p.found()}.`, "Each arm is pattern -> value: is Int -> \"a number\".")
    return undefined
  }
  if (p.token.text !== "->") p.advance()
  p.advance()
  const body = parseExpression(p)
  return { pattern, body, span: { start: pattern.span.start, end: body.span.end } }
}

/** Pattern := "{" FieldName ("," FieldName)* ","? "}" | "is" Type | "_" */
const parsePattern = (p: ParserState): Pattern | undefined => {
  const token = p.token
  if (token.kind === "Ident" && token.text === "_" && !p.atNextDeclaration()) {
    p.advance()
    return { _tag: "WildcardPattern", span: token.span }
  }
  if (token.kind === "is") {
    p.advance()
    const type = parseType(p)
    return { _tag: "TypePattern", type, span: p.spanFrom(token.span.start) }
  }
  if (token.kind === "{") {
    p.advance()
    const fields = parseDelimited(p, "}", "the record pattern", token.span.start,
      (q) => fieldName(q, "Expected a field name in the record pattern"))
    const span = p.spanFrom(token.span.start)
    if (fields.length === 0 && !p.recovering) {
      p.failAt("UnexpectedToken", "A record pattern names at least one field: {name} or {name, age}.", span, patternHint)
      return undefined
    }
    return { _tag: "RecordPattern", fields, span }
  }
  p.fail("UnexpectedToken", `Expected a pattern, found ${p.found()}.`, patternHint)
  return undefined
}
