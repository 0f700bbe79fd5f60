/**
 * The one traversal of a compiled inline expression's children, for every
 * walker of `InlineExpr` (the runtime's list functions and per-element
 * calls, the demand analysis): a new kind of expression is added here once.
 */
import type { InlineExpr } from "./dag.js"

/** Calls `f` on each direct sub-expression of `e`, in source order. */
export const forEachInlineChild = (e: InlineExpr, f: (child: InlineExpr) => void): void => {
  switch (e._tag) {
    case "Arithmetic":
    case "Compare":
    case "And":
    case "Or":
    case "Coalesce":
    case "Merge":
      f(e.left)
      f(e.right)
      return
    case "Not": return f(e.operand)
    case "If":
      f(e.condition)
      f(e.then)
      f(e.else)
      return
    case "Field":
    case "Project":
    case "Untag":
      return f(e.target)
    case "List": return e.items.forEach((x) => f(x))
    case "Record": return e.fields.forEach(([, x]) => f(x))
    case "Interpolate":
      for (const p of e.parts) if (typeof p !== "string") f(p)
      return
    case "When":
      f(e.value)
      f(e.condition)
      return
    case "ListFunction":
      f(e.list)
      f(e.body)
      return
    case "Match":
      f(e.scrutinee)
      for (const arm of e.arms) f(arm.body)
      return
    case "Coerce": return f(e.value)
    case "Call":
      e.args.forEach((x) => f(x))
      if (e.fallback !== undefined) f(e.fallback)
      return
    case "Literal":
    case "Ref":
    case "Param":
      return
  }
}
