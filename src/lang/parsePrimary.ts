/**
 * Primary expressions: the operands the operator levels of
 * `parseExpression.ts` combine.
 *
 *     Primary := If | Match | Branch | Lambda | CallOrVariable | Number | String
 *              | "true" | "false" | List | Record | "(" Expression ")"
 *              | ("and" | "or") Call
 */
import type { Expr, RecordLiteralField } from "./ast.js"
import { parseBranch, startsBranch } from "./parseBranch.js"
import { parseCallOrVariable } from "./parseCall.js"
import { parseExpression } from "./parseExpression.js"
import { parseLambda, startsLambda } from "./parseLambda.js"
import { parseMatch } from "./parseMatch.js"
import { fieldName, parseDelimited, type ParserState } from "./parserState.js"
import { parseString } from "./parseString.js"
import { describeToken, type TokenKind } from "./token.js"

/** Primary := If | Match | Branch | Lambda | CallOrVariable | Number | String | "true" | "false" | List | Record | "(" Expression ")" */
export const parsePrimary = (p: ParserState): Expr => {
  const token = p.token
  switch (token.kind) {
    case "Int":
    case "Float":
    case "-":
      return parseNumber(p)
    case "true":
    case "false":
      p.advance()
      return { _tag: "BooleanLiteral", value: token.kind === "true", span: token.span }
    case "StringStart":
      return parseString(p)
    case "[":
      return parseList(p)
    case "{":
      return parseRecord(p)
    case "(":
      return startsLambda(p) ? parseLambda(p) : parseParenthesized(p)
    case "if":
      return parseIf(p)
    case "match":
      return parseMatch(p)
    case "Ident":
      if (p.atNextDeclaration()) return expectedExpression(p)
      return startsLambda(p) ? parseLambda(p) : startsBranch(p) ? parseBranch(p) : parseCallOrVariable(p)
    case "and":
    case "or":
      // `and(a, b)`, `or(a, b)`: the functions of stdlib.bool, where an operand starts.
      return p.peek().kind === "(" && p.peek().span.start.offset === token.span.end.offset
        ? parseCallOrVariable(p)
        : expectedExpression(p)
    case "Invalid":
      p.advance()
      return { _tag: "ErrorExpr", span: token.span }
    case "Duration":
      p.fail("UnexpectedToken", `The duration ${token.text} can only be the value of a 'with' option.`,
        "Options follow a module call: Name(x) with timeout: 2s.")
      return p.errorExpr()
    default:
      return expectedExpression(p)
  }
}

const hints: ReadonlyMap<TokenKind, string> = new Map<TokenKind, string>([
  ["not", "'not' binds looser than comparisons and arithmetic: put it in parentheses, like a == (not b)."],
  ["-", "A negative number has its '-' right before the digits, like -1; to negate a value write 0 - x."],
  ["with", "'with' options follow a module call: Name(x) with retry: 3."]
])

/** Reports E105 at the current token, which cannot begin an expression. */
const expectedExpression = (p: ParserState): Expr => {
  const previous = p.index > 0 ? p.tokens[p.index - 1] : undefined
  const after = previous === undefined ? "" : ` after ${describeToken(previous)}`
  p.fail("ExpectedExpression", `Expected an expression${after}, found ${p.found()}.`, hints.get(p.token.kind))
  return p.errorExpr()
}

/** Number := "-"? (Int | Float)   where a "-" must touch the digits */
const parseNumber = (p: ParserState): Expr => {
  const first = p.token
  const negative = first.kind === "-"
  const digits = negative ? p.peek() : first
  const touching = digits.span.start.offset === first.span.end.offset
  const numeric = digits.kind === "Int" || digits.kind === "Float" || digits.kind === "Invalid"
  if (negative && !(touching && numeric)) return expectedExpression(p)
  if (negative) p.advance()
  p.advance()
  const span = { start: first.span.start, end: digits.span.end }
  if (digits.kind === "Invalid") return { _tag: "ErrorExpr", span }
  const value = negative && digits.value !== 0 ? -digits.value : digits.value
  return digits.kind === "Int" ? { _tag: "IntLiteral", value, span } : { _tag: "FloatLiteral", value, span }
}

/** List := "[" (Expression ("," Expression)* ","?)? "]" */
const parseList = (p: ParserState): Expr => {
  const open = p.advance().span.start
  const items = parseDelimited(p, "]", "the list", open, parseExpression)
  return { _tag: "ListLiteral", items, span: p.spanFrom(open) }
}

/** Record := "{" (RecordField ("," RecordField)* ","?)? "}" */
const parseRecord = (p: ParserState): Expr => {
  const open = p.advance().span.start
  const fields = parseDelimited(p, "}", "the record", open, parseRecordField)
  return { _tag: "RecordLiteral", fields, span: p.spanFrom(open) }
}

/** RecordField := FieldName ":" Expression */
const parseRecordField = (p: ParserState): RecordLiteralField | undefined => {
  const name = fieldName(p, "Expected a field name in the record")
  if (name === undefined || (p.eat(":") ?? p.expect(":", `Expected ':' after the field name ${name.name}`)) === undefined) return undefined
  const value = parseExpression(p)
  return { name, value, span: { start: name.span.start, end: value.span.end } }
}

/** "(" Expression ")"; the expression's span is widened to cover the parentheses. */
const parseParenthesized = (p: ParserState): Expr => {
  const open = p.advance().span.start
  const inner = parseExpression(p)
  p.expectClosing(")", "the parenthesis", open)
  return { ...inner, span: p.spanFrom(open) }
}

/** If := "if" "(" Expression ")" Expression "else" Expression */
const parseIf = (p: ParserState): Expr => {
  const start = p.advance().span.start
  const open = p.expect("(", "Expected '(' after 'if'", "Write the condition in parentheses: if (x > 0) a else b.")
  const condition = open === undefined ? p.errorExpr() : parseExpression(p)
  if (open !== undefined) p.expectClosing(")", "the condition of the 'if'", open.span.start)
  const then = p.recovering ? p.errorExpr() : parseExpression(p)
  const hasElse = p.eat("else") !== undefined ||
    p.expect("else", `Expected 'else' after the first branch of the 'if' at ${start.line}:${start.column}`,
      "Every 'if' needs an 'else': if (c) a else b.") !== undefined
  const otherwise = hasElse ? parseExpression(p) : p.errorExpr()
  return { _tag: "If", condition, then, else: otherwise, span: p.spanFrom(start) }
}
