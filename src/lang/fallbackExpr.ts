/**
 * The expression of a call's `fallback` option, whatever way the parser
 * read it.
 */
import type { CallOption, Expr } from "./ast.js"

const synthesized = new WeakMap<CallOption, Expr>()

/**
 * The expression of a `fallback` option. A value the parser read as an
 * option literal (`fallback: defaultUser`, `fallback: 0`) is read as the
 * expression it spells: a variable reference, a Boolean or an Int.
 */
export const fallbackExpr = (option: CallOption): Expr | undefined => {
  if (option.name.name !== "fallback") return undefined
  if (option._tag === "ExprOption") return option.value
  if (option._tag !== "IntOption" && option._tag !== "WordOption") return undefined
  let expr = synthesized.get(option)
  if (expr === undefined) {
    const span = option.valueSpan
    expr = option._tag === "IntOption"
      ? { _tag: "IntLiteral", value: option.value, span }
      : option.word === "true" || option.word === "false"
      ? { _tag: "BooleanLiteral", value: option.word === "true", span }
      : { _tag: "Variable", name: option.word, span }
    synthesized.set(option, expr)
  }
  return expr
}
