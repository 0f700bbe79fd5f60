/**
 * Lambdas, the function arguments of the list functions (`filter`, `map`,
 * `all`, `any`):
 *
 *     Lambda      := Params "=>" Expression
 *     Params      := Name | "(" (Param ("," Param)* ","?)? ")"
 *     Param       := Name (":" Type)?
 *
 * A lambda's body reaches as far as an expression does, so inside a call it
 * ends at the `,` or `)` after it. Whether a lambda may stand where it is,
 * and how many parameters it needs, is for the checker to say.
 */
import type { Expr, LambdaParam } from "./ast.js"
import { parseExpression } from "./parseExpression.js"
import { identifier, parseDelimited, type ParserState } from "./parserState.js"
import { parseType } from "./parseType.js"
import { isKeyword } from "./token.js"

/**
 * True when the current token begins a lambda: `x =>`, `() =>`, `(x) =>`,
 * or `(x,` / `(x:`, which no parenthesized expression can begin with.
 * Looks at most four tokens ahead.
 */
export const startsLambda = (p: ParserState): boolean => {
  const token = p.token
  if (token.kind === "Ident") return p.peek().kind === "=>"
  if (token.kind !== "(") return false
  const first = p.peek(), second = p.peek(2)
  if (first.kind === ")") return second.kind === "=>"
  if (first.kind !== "Ident") return false
  return second.kind === "," || second.kind === ":" || (second.kind === ")" && p.peek(3).kind === "=>")
}

/** Lambda := Params "=>" Expression   (the current token begins one: see `startsLambda`) */
export const parseLambda = (p: ParserState): Expr => {
  const start = p.token.span.start
  let params: Array<LambdaParam>
  if (p.at("Ident")) {
    const name = identifier(p.advance())
    params = [{ name, type: undefined, span: name.span }]
  } else {
    const open = p.advance().span.start
    params = parseDelimited(p, ")", "the lambda's parameters", open, parseParam)
  }
  const arrow = p.recovering ? undefined
    : p.expect("=>", "Expected '=>' after the lambda's parameters", "A lambda is written (x) => expression, like (x) => x > 0.")
  const body = arrow === undefined ? p.errorExpr() : parseExpression(p)
  return { _tag: "Lambda", params, body, arrowSpan: arrow?.span ?? p.missingSpan(), span: p.spanFrom(start) }
}

/** Param := Name (":" Type)? */
const parseParam = (p: ParserState): LambdaParam | undefined => {
  const kind = p.token.kind
  const token = p.expect("Ident", "Expected a parameter name in the lambda",
    isKeyword(kind) ? `'${kind}' is a reserved word and cannot be a name.` : "A lambda's parameters are names, like (x) or (x: Int, y: Int).")
  if (token === undefined) return undefined
  const name = identifier(token)
  if (p.eat(":") === undefined) return { name, type: undefined, span: name.span }
  const type = parseType(p)
  return { name, type, span: { start: name.span.start, end: type.span.end } }
}
