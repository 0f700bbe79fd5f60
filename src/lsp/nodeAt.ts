/**
 * What the caret is in: the chain of expressions containing an offset,
 * outermost first, from the declaration that holds it.
 */
import type { Expr, Program } from "../lang/ast.js"
import { exprChildren, spanContains } from "./exprChildren.js"

/** The expressions containing `offset`, outermost first (empty outside every expression). */
export const exprPath = (program: Program, offset: number): ReadonlyArray<Expr> => {
  const path: Array<Expr> = []
  const decl = program.declarations.find((d) => spanContains(d.span, offset))
  let current: Expr | undefined = decl?._tag === "Assignment" ? decl.value : decl?._tag === "InputDecl" ? decl.example : undefined
  while (current !== undefined && spanContains(current.span, offset)) {
    path.push(current)
    current = exprChildren(current).find((c) => spanContains(c.span, offset))
  }
  return path
}
