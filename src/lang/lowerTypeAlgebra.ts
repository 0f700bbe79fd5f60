/**
 * The inline expressions of type algebra and unions, built by
 * `buildDag.ts`: record merge, projection, and coercion between a union
 * and its members.
 */
import { recordDepth } from "./checker/merge.js"
import { needsCoercion } from "./coercion.js"
import type { InlineExpr } from "./dag.js"
import type { Type } from "./types.js"

/** The record inside `depth` levels of lists. */
const innerFields = (t: Type): ReadonlyArray<string> => {
  let inner = t
  while (inner._tag === "List") inner = inner.element
  return inner._tag === "Record" ? inner.fields.map(([k]) => k) : []
}

/** `left + right` on records (or lists of them) of types `lt` and `rt`: the right's fields win. */
export const mergeExpr = (left: InlineExpr, right: InlineExpr, lt: Type, rt: Type): InlineExpr => {
  const rightFields = innerFields(rt)
  const overridden = new Set(rightFields)
  return {
    _tag: "Merge",
    left,
    right,
    leftFields: innerFields(lt).filter((k) => !overridden.has(k)),
    rightFields,
    leftDepth: recordDepth(lt) ?? 0,
    rightDepth: recordDepth(rt) ?? 0
  }
}

/** `target{fields}` where `target` has type `t`. */
export const projectExpr = (target: InlineExpr, fields: ReadonlyArray<string>, t: Type): InlineExpr =>
  ({ _tag: "Project", target, fields, listDepth: recordDepth(t) ?? 0 })

/** `value` (of type `from`) where a `to` is expected: wrapped in a `Coerce` only when their runtime forms may differ. */
export const coerce = (value: InlineExpr, from: Type, to: Type): InlineExpr =>
  needsCoercion(from, to) ? { _tag: "Coerce", value, from, to } : value
