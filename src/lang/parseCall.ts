/**
 * Names in expressions: variables, and module calls with their `with`
 * options.
 *
 * An option's value is read by its shape, and the checker validates names
 * and values: `fallback` always takes an expression; otherwise a lone
 * duration (`2s`) is a `DurationOption`, a lone integer (`3`, `-1`) an
 * `IntOption`, a lone name (`exponential`) a `WordOption`, and anything else
 * an `ExprOption`; `count/duration` (`100/1min`) is a `RateOption`, and
 * `lazy` with no `:` after it (`with lazy`) a `FlagOption`. "Lone" means
 * the value ends there (at `,`, a closing
 * bracket, the end of the file or the next declaration); `retry: 3 + 1` is an
 * `ExprOption`. An option value reaches as far as an expression does, so
 * `F(x) with retry: 3 ?? y` gives `retry` the value `3 ?? y`: put the call
 * in parentheses to apply operators to it.
 */
import type { CallOption, Expr, Identifier } from "./ast.js"
import { parseExpression } from "./parseExpression.js"
import { identifier, parseDelimited, type ParserState } from "./parserState.js"
import { isKeyword, type TokenKind } from "./token.js"

/**
 * CallOrVariable := Name | Call | QualifiedCall
 *
 * A name is a call only when `(` follows it on the same line. A module's
 * name (capitalised) with its `(` at the start of the next line is E110:
 * nothing else could have been meant, and read as a variable it would
 * give an unknown name and a line that starts with `(`.
 */
export const parseCallOrVariable = (p: ParserState): Expr => {
  const qualified = qualifiedCallEnd(p)
  if (qualified !== undefined) return parseQualifiedCall(p, qualified)
  const name = p.advance()
  if (p.at("(") && !p.token.lineBreakBefore) return parseCall(p, identifier(name))
  if (p.at("(") && /^[A-Z]/.test(name.text)) {
    p.failAt("CallSplitAcrossLines", `The call to ${name.text} has its '(' on the next line; it must follow the name on the same line.`,
      { start: name.span.start, end: p.token.span.end },
      `Write \`${name.text}(\` on one line; the arguments may go on the lines after it.`)
    return p.errorExpr()
  }
  return { _tag: "Variable", name: name.text, span: name.span }
}

/**
 * The index of the `(` of a qualified call starting at the current name
 * (`stdlib.math.add(`, `m.add(`: names joined by `.`, the last one followed
 * by `(` on its line), or `undefined` when none starts here. A keyword may
 * follow a `.` (`stdlib.bool.and(`).
 */
const qualifiedCallEnd = (p: ParserState): number | undefined => {
  let i = p.index + 1
  const limit = p.index + 2 * MAX_SEGMENTS
  while (i < limit && p.tokens[i]?.kind === "." && isName(p.tokens[i + 1]?.kind)) i += 2
  const open = p.tokens[i]
  return i > p.index + 1 && open?.kind === "(" && !open.lineBreakBefore ? i : undefined
}

/** The most segments a qualified call's name may have; a longer chain of `.name` is field access. */
const MAX_SEGMENTS = 64

const isName = (kind: TokenKind | undefined): boolean => kind !== undefined && (kind === "Ident" || isKeyword(kind))

/** QualifiedCall := Name ("." Name)+ CallRest, the callee's name being the segments joined by `.` */
const parseQualifiedCall = (p: ParserState, open: number): Expr => {
  const first = p.token
  const parts: Array<string> = []
  while (p.index < open) {
    const token = p.advance()
    if (token.kind !== ".") parts.push(token.text)
  }
  return parseCall(p, { _tag: "Identifier", name: parts.join("."), span: p.spanFrom(first.span.start) })
}

/** Call := Name "(" (Expression ("," Expression)* ","?)? ")" ("with" Option ("," Option)*)? */
const parseCall = (p: ParserState, callee: Identifier): Expr => {
  p.advance()
  const args = parseDelimited(p, ")", `the call to ${callee.name}`, callee.span.start, parseExpression)
  const options: Array<CallOption> = []
  if (!p.recovering && p.eat("with") !== undefined) {
    do {
      const option = parseOption(p)
      if (option !== undefined) options.push(option)
    } while (!p.recovering && atNextOption(p) && p.eat(",") !== undefined)
  }
  return { _tag: "Call", callee, args, options, span: p.spanFrom(callee.span.start) }
}

/** True at a `,` followed by `name:` or the flag `lazy`; other commas belong to an enclosing list or call. */
const atNextOption = (p: ParserState): boolean =>
  p.at(",") && p.peek().kind === "Ident" && (p.peek(2).kind === ":" || (p.peek().text === "lazy" && endsValue(p, p.index + 2)))

/** Option := Name ":" OptionValue | "lazy" */
const parseOption = (p: ParserState): CallOption | undefined => {
  const nameToken = p.expect("Ident", "Expected an option name such as retry or timeout",
    "Options are written name: value, like Name(x) with retry: 3, timeout: 2s.")
  if (nameToken === undefined) return undefined
  const name = identifier(nameToken)
  if (name.name === "lazy" && !p.at(":") && endsValue(p, p.index)) return { _tag: "FlagOption", name, span: name.span }
  if ((p.eat(":") ?? p.expect(":", `Expected ':' after the option name ${name.name}`)) === undefined) return undefined
  return parseOptionValue(p, name)
}

/** OptionValue := Duration | "-"? Int | Int "/" Duration | Name | Expression   (always Expression for `fallback`) */
const parseOptionValue = (p: ParserState, name: Identifier): CallOption => {
  const token = p.token
  if (token.kind === "Int" && p.peek().kind === "/" && p.peek(2).kind === "Duration" && endsValue(p, p.index + 3)) {
    const per = p.peek(2)
    const valueSpan = { start: token.span.start, end: per.span.end }
    p.advance(), p.advance(), p.advance()
    return { _tag: "RateOption", name, count: token.value, perMillis: per.value, valueSpan, span: { start: name.span.start, end: valueSpan.end } }
  }
  const negative = token.kind === "-" && p.peek().kind === "Int" && p.peek().span.start.offset === token.span.end.offset
  const length = negative ? 2 : 1
  if (name.name !== "fallback" && endsValue(p, p.index + length)) {
    const valueSpan = { start: token.span.start, end: p.peek(length - 1).span.end }
    const span = { start: name.span.start, end: valueSpan.end }
    if (token.kind === "Duration") {
      p.advance()
      return { _tag: "DurationOption", name, millis: token.value, valueSpan, span }
    }
    if (token.kind === "Int" || negative) {
      const digits = p.peek(length - 1)
      p.advance()
      if (negative) p.advance()
      return { _tag: "IntOption", name, value: negative && digits.value !== 0 ? -digits.value : digits.value, valueSpan, span }
    }
    if (token.kind === "Ident") {
      p.advance()
      return { _tag: "WordOption", name, word: token.text, valueSpan, span }
    }
  }
  const value = parseExpression(p)
  return { _tag: "ExprOption", name, value, span: { start: name.span.start, end: value.span.end } }
}

/** True when token `i` cannot continue an option value. */
const endsValue = (p: ParserState, i: number): boolean => {
  const token = p.tokens[i]
  if (token === undefined) return true
  switch (token.kind) {
    case ",":
    case ")":
    case "]":
    case "}":
    case "InterpEnd":
    case "EOF":
      return true
    default:
      return token.lineBreakBefore && p.startsDeclaration(i)
  }
}
