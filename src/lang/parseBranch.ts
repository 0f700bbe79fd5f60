/**
 * The `branch` expression:
 *
 *     Branch     := "branch" "{" (Case ",")* "otherwise" "->" Expression ","? "}"
 *     Case       := Expression "->" Expression
 *
 * `branch` and `otherwise` are not reserved words: `branch` begins a branch
 * only when `{` follows it, and `otherwise` is the default case only when
 * `->` follows it. The `otherwise` case is required (E120) and comes last
 * (E121). Each case counts as one level of nesting against `maxDepth`,
 * since the cases are tried one inside the other.
 */
import type { BranchCase, Expr } from "./ast.js"
import { parseExpression } from "./parseExpression.js"
import type { ParserState } from "./parserState.js"

/** True at `branch {`. */
export const startsBranch = (p: ParserState): boolean =>
  p.token.kind === "Ident" && p.token.text === "branch" && p.peek().kind === "{"

const atOtherwise = (p: ParserState): boolean =>
  p.token.kind === "Ident" && p.token.text === "otherwise" && p.peek().kind === "->"

/** Branch := "branch" "{" (Case ",")* "otherwise" "->" Expression ","? "}" */
export const parseBranch = (p: ParserState): Expr => {
  const keyword = p.advance()
  const open = p.advance()
  const cases: Array<BranchCase> = []
  let otherwise: Expr | undefined
  let levels = 0
  while (!p.recovering && !p.at("}") && !p.at("EOF") && !p.atNextDeclaration() && p.enter()) {
    levels++
    const first = p.token
    if (otherwise !== undefined) {
      p.failAt("BranchCaseAfterOtherwise", "A case comes after `otherwise` in this branch; `otherwise` must be the last case.",
        first.span, "Move the `otherwise -> value` case to the end: the cases are tried in order, and `otherwise` always holds.")
      break
    }
    if (atOtherwise(p)) {
      p.advance()
      p.advance()
      otherwise = parseExpression(p)
    } else {
      const condition = parseExpression(p)
      if (p.recovering || p.expect("->", "Expected '->' after the condition of a branch case",
        "Write each case as condition -> value, like score >= 90 -> \"A\".") === undefined) break
      const value = parseExpression(p)
      cases.push({ condition, value, span: { start: condition.span.start, end: value.span.end } })
    }
    if (p.recovering || p.eat(",") === undefined) break
  }
  p.depth -= levels
  if (p.eat("}") === undefined) {
    const lost = p.at("EOF") || p.atNextDeclaration()
    p.expectClosing("}", "the branch", open.span.start, lost ? undefined : "Separate the cases with ','.")
  }
  if (otherwise === undefined) {
    p.failAt("BranchWithoutOtherwise", "This branch has no `otherwise` case.", keyword.span,
      "End it with `otherwise -> value`: the value when no condition holds.")
  }
  return { _tag: "Branch", cases, otherwise: otherwise ?? p.errorExpr(), span: p.spanFrom(keyword.span.start) }
}
