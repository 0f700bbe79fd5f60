/**
 * The sub-expressions of an expression, in source order, for the walks of
 * the language service (symbols, hover, semantic tokens). A `fallback`
 * option the parser read as a word or number counts as the expression it
 * spells, as the checker reads it.
 */
import type { Expr } from "../lang/ast.js"
import { fallbackExpr } from "../lang/checker/references.js"

/** The direct sub-expressions of `e`; lambda bodies and match arms included (their scopes are the caller's concern). */
export const exprChildren = (e: Expr): ReadonlyArray<Expr> => {
  switch (e._tag) {
    case "StringLiteral":
      return e.parts.flatMap((part) => (part._tag === "Interpolation" ? [part.expr] : []))
    case "ListLiteral":
      return e.items
    case "RecordLiteral":
      return e.fields.map((f) => f.value)
    case "Call":
      return [...e.args, ...e.options.flatMap((o) => {
        const fallback = fallbackExpr(o)
        return fallback === undefined ? [] : [fallback]
      })]
    case "FieldAccess":
    case "Projection":
      return [e.target]
    case "Binary":
    case "And":
    case "Or":
    case "Coalesce":
      return [e.left, e.right]
    case "Not":
      return [e.operand]
    case "When":
      return [e.value, e.condition]
    case "If":
      return [e.condition, e.then, e.else]
    case "Lambda":
      return [e.body]
    case "Branch":
      return [...e.cases.flatMap((c) => [c.condition, c.value]), e.otherwise]
    case "Match":
      return [e.scrutinee, ...e.arms.map((a) => a.body)]
    default:
      return []
  }
}

/** Whether `offset` lies in `[start, end]` of a span (the end included: the caret just after a name is on it). */
export const spanContains = (span: { readonly start: { readonly offset: number }; readonly end: { readonly offset: number } }, offset: number): boolean =>
  span.start.offset <= offset && offset <= span.end.offset
