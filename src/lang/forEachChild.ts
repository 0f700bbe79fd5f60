/**
 * The one traversal of an expression's children, for every walker of the
 * AST (the names an expression reads, the calls a lambda or an arm holds):
 * a new kind of expression is added here once, and the walkers handle only
 * the kinds they treat specially.
 */
import type { Expr } from "./ast.js"
import { fallbackExpr } from "./fallbackExpr.js"

/**
 * Calls `f` on each direct sub-expression of `e`, in source order: a
 * call's arguments then its `fallback`, a lambda's body, a `match`'s value
 * then its arms' bodies, a string's interpolations.
 */
export const forEachChild = (e: Expr, f: (child: Expr) => void): void => {
  switch (e._tag) {
    case "StringLiteral":
      for (const part of e.parts) if (part._tag === "Interpolation") f(part.expr)
      return
    case "ListLiteral":
      for (const item of e.items) f(item)
      return
    case "RecordLiteral":
      for (const field of e.fields) f(field.value)
      return
    case "Call":
      for (const arg of e.args) f(arg)
      for (const option of e.options) {
        const fallback = fallbackExpr(option)
        if (fallback !== undefined) f(fallback)
      }
      return
    case "FieldAccess":
    case "Projection":
      return f(e.target)
    case "Binary":
    case "And":
    case "Or":
    case "Coalesce":
      f(e.left)
      f(e.right)
      return
    case "Not":
      return f(e.operand)
    case "When":
      f(e.value)
      f(e.condition)
      return
    case "If":
      f(e.condition)
      f(e.then)
      f(e.else)
      return
    case "Lambda":
      return f(e.body)
    case "Branch":
      for (const c of e.cases) {
        f(c.condition)
        f(c.value)
      }
      f(e.otherwise)
      return
    case "Match":
      f(e.scrutinee)
      for (const arm of e.arms) f(arm.body)
      return
    case "IntLiteral":
    case "FloatLiteral":
    case "BooleanLiteral":
    case "Variable":
    case "ErrorExpr":
      return
    default: {
      // A new kind of expression must say here which children it has.
      const unhandled: never = e
      return unhandled
    }
  }
}
