/**
 * Expressions, one function per precedence level, loosest first:
 *
 *     Expression     := Coalesce
 *     Coalesce       := When ("??" When)*              right-associative
 *     When           := Or ("when" Or)*                left-associative
 *     Or             := And ("or" And)*
 *     And            := Not ("and" Not)*
 *     Not            := "not" Not | Comparison
 *     Comparison     := Additive (CompareOp Additive)?  not chainable
 *     Additive       := Multiplicative (("+" | "-") Multiplicative)*
 *     Multiplicative := Postfix (("*" | "/") Postfix)*
 *     Postfix        := Primary ("." FieldName | Projection)*   (parseProjection.ts)
 *
 * Operator chains are loops, not recursion. Every node an operator adds
 * counts as one level of nesting against `maxDepth`, so no AST the parser
 * returns is deeper than `maxDepth` and later passes may recurse freely.
 */
import type { BinaryOperator, Expr } from "./ast.js"
import { parsePrimary } from "./parsePrimary.js"
import { atProjection, parseProjection } from "./parseProjection.js"
import { fieldName, type ParserState } from "./parserState.js"
import type { Span } from "./span.js"
import type { TokenKind } from "./token.js"

/** Expression := Coalesce */
export const parseExpression = (p: ParserState): Expr => {
  if (!p.enter()) return p.errorExpr()
  const expr = parseCoalesce(p)
  p.depth--
  return expr
}

const cover = (left: Expr, right: Expr): Span => ({ start: left.span.start, end: right.span.end })

/** True, entering one nesting level, when the current token is `kind` and the expression may go on. */
const continuesWith = (p: ParserState, kind: TokenKind): boolean => !p.recovering && p.at(kind) && p.enter()

/** Coalesce := When ("??" When)*, grouped from the right: `a ?? b ?? c` is `a ?? (b ?? c)`. */
const parseCoalesce = (p: ParserState): Expr => {
  const operands = [parseWhen(p)]
  while (continuesWith(p, "??")) {
    p.advance()
    operands.push(parseWhen(p))
  }
  p.depth -= operands.length - 1
  let right = operands[operands.length - 1] ?? p.errorExpr()
  for (let i = operands.length - 2; i >= 0; i--) {
    const left = operands[i] ?? right
    right = { _tag: "Coalesce", left, right, span: cover(left, right) }
  }
  return right
}

/** When := Or ("when" Or)* */
const parseWhen = (p: ParserState): Expr => {
  let value = parseOr(p)
  let levels = 0
  while (continuesWith(p, "when")) {
    levels++
    p.advance()
    const condition = parseOr(p)
    value = { _tag: "When", value, condition, span: cover(value, condition) }
  }
  p.depth -= levels
  return value
}

/** Or := And ("or" And)* */
const parseOr = (p: ParserState): Expr => {
  let left = parseAnd(p)
  let levels = 0
  while (continuesWith(p, "or")) {
    levels++
    p.advance()
    const right = parseAnd(p)
    left = { _tag: "Or", left, right, span: cover(left, right) }
  }
  p.depth -= levels
  return left
}

/** And := Not ("and" Not)* */
const parseAnd = (p: ParserState): Expr => {
  let left = parseNot(p)
  let levels = 0
  while (continuesWith(p, "and")) {
    levels++
    p.advance()
    const right = parseNot(p)
    left = { _tag: "And", left, right, span: cover(left, right) }
  }
  p.depth -= levels
  return left
}

/** Not := "not" Not | Comparison */
const parseNot = (p: ParserState): Expr => {
  const nots: Array<Span> = []
  while (continuesWith(p, "not")) nots.push(p.advance().span)
  let operand = parseComparison(p)
  for (let i = nots.length - 1; i >= 0; i--) {
    const start = nots[i]?.start ?? operand.span.start
    operand = { _tag: "Not", operand, span: { start, end: operand.span.end } }
  }
  p.depth -= nots.length
  return operand
}

const comparisonOperators: ReadonlyMap<TokenKind, BinaryOperator> = new Map<TokenKind, BinaryOperator>(
  [["==", "=="], ["!=", "!="], ["<", "<"], [">", ">"], ["<=", "<="], [">=", ">="]]
)

/** Comparison := Additive (CompareOp Additive)?  with CompareOp one of == != < > <= >= */
const parseComparison = (p: ParserState): Expr => {
  const left = parseAdditive(p)
  const op = comparisonOperators.get(p.token.kind)
  if (p.recovering || op === undefined || !p.enter()) return left
  const operator = p.advance()
  const right = parseAdditive(p)
  p.depth--
  if (!p.recovering && comparisonOperators.has(p.token.kind)) {
    p.fail("UnexpectedToken", `Comparisons cannot be chained: found '${p.token.kind}' after '${operator.kind}'.`,
      "Compare two values at a time and combine the results: (a < b) and (b < c).")
  }
  return binary(op, left, right, operator.span)
}

const binary = (op: BinaryOperator, left: Expr, right: Expr, opSpan: Span): Expr =>
  ({ _tag: "Binary", op, left, right, opSpan, span: cover(left, right) })

/** Additive := Multiplicative (("+" | "-") Multiplicative)* */
const parseAdditive = (p: ParserState): Expr => {
  let left = parseMultiplicative(p)
  let levels = 0
  while (!p.recovering && (p.at("+") || p.at("-")) && p.enter()) {
    levels++
    const operator = p.advance()
    left = binary(operator.kind === "+" ? "+" : "-", left, parseMultiplicative(p), operator.span)
  }
  p.depth -= levels
  return left
}

/** Multiplicative := Postfix (("*" | "/") Postfix)* */
const parseMultiplicative = (p: ParserState): Expr => {
  let left = parsePostfix(p)
  let levels = 0
  while (!p.recovering && (p.at("*") || p.at("/")) && p.enter()) {
    levels++
    const operator = p.advance()
    left = binary(operator.kind === "*" ? "*" : "/", left, parsePostfix(p), operator.span)
  }
  p.depth -= levels
  return left
}

/**
 * Postfix := Primary ("." FieldName | Projection)*   where FieldName is an identifier or a keyword
 *
 * A `[` touching the value before it that is not a projection (`xs[0]`)
 * is an attempt at indexing, which the language does not have: E109.
 */
const parsePostfix = (p: ParserState): Expr => postfixChain(p, parsePrimary(p), true)

/** The `.field` accesses and projections after `target`; `{...}` projections only when `braces`. */
export const postfixChain = (p: ParserState, start: Expr, braces: boolean): Expr => {
  let target = start
  let levels = 0
  for (;;) {
    if (continuesWith(p, ".")) {
      levels++
      p.advance()
      const field = fieldName(p, "Expected a field name after '.'")
      if (field === undefined) break
      target = { _tag: "FieldAccess", target, field, span: { start: target.span.start, end: field.span.end } }
    } else if (!p.recovering && atProjection(p, braces) && p.enter()) {
      levels++
      target = parseProjection(p, target)
    } else break
  }
  p.depth -= levels
  if (!p.recovering && p.at("[") && p.token.span.start.offset === target.span.end.offset) reportIndexing(p, target)
  return target
}

/** E109 over `[...]` (to its `]` when that is on the same line). */
const reportIndexing = (p: ParserState, target: Expr): void => {
  const open = p.token
  let end = open.span.end
  let depth = 0
  for (let i = p.index; i < p.tokens.length; i++) {
    const token = p.tokens[i]!
    if (token.kind === "EOF" || (i > p.index && token.lineBreakBefore)) break
    if (token.kind === "[") depth++
    else if (token.kind === "]" && --depth === 0) {
      end = token.span.end
      break
    }
  }
  const what = target._tag === "Variable" ? `\`${target.name}[...]\`` : "`[...]` after a value"
  p.failAt("IndexingNotSupported", `Indexing is not supported: ${what} cannot read an element.`,
    { start: open.span.start, end },
    "Use a list whole: pass it to a module (SumList, Max, FilterGreaterThan ...), read a field of every element with `.field`, or declare the one value you need as an input of its own.")
}
