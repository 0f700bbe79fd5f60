/**
 * What a value needs before it can be computed, for demand-driven runs.
 *
 * An inline expression reads some data nodes *strictly* (whatever the
 * inputs, it reads them) and others only *conditionally*: the branches of
 * `if`, the arms of `match`, the right operand of `and`, `or` and `??`,
 * the value of `when`.
 * A strict read is awaited before the expression is evaluated; a
 * conditional one is demanded only when evaluation reaches it, so a call
 * that only an untaken branch needs never runs. The result of a `lazy` call
 * is read conditionally wherever it is read, and a module taking it as an
 * argument demands it only once every other argument has its value.
 */
import type { DagSpec, InlineExpr } from "../../lang/dag.js"
import { forEachInlineChild } from "../../lang/inlineChildren.js"

/** Thrown by `evaluate` when it reaches a data node that has no value yet: demand it, then evaluate again. */
export class NeedValue {
  readonly _tag = "NeedValue"
  constructor(readonly data: number) {}
}

/** The data nodes whose values are results of `lazy` calls. */
export const lazyOutputs = (dag: DagSpec): ReadonlySet<number> => {
  const lazy = new Set<number>()
  for (const m of dag.modules) if (m.options.lazy === true) lazy.add(m.output)
  return lazy
}

/**
 * Adds to `out` the data nodes `e` reads strictly. Expressions not listed
 * (list functions, calls per element, kinds added later) are read strictly
 * in every part: correct, if not short-circuiting.
 */
export const strictReads = (e: InlineExpr, lazy: ReadonlySet<number>, out: Set<number>): void => {
  switch (e._tag) {
    case "Literal":
      return
    case "Ref":
      if (!lazy.has(e.data)) out.add(e.data)
      return
    case "If":
      return strictReads(e.condition, lazy, out)
    case "And":
    case "Or":
    case "Coalesce":
      return strictReads(e.left, lazy, out)
    case "When":
      return strictReads(e.condition, lazy, out)
    case "Compare":
    case "Arithmetic":
      strictReads(e.left, lazy, out)
      return strictReads(e.right, lazy, out)
    case "Not":
      return strictReads(e.operand, lazy, out)
    case "Field":
      return strictReads(e.target, lazy, out)
    case "List":
      for (const item of e.items) strictReads(item, lazy, out)
      return
    case "Record":
      for (const [, value] of e.fields) strictReads(value, lazy, out)
      return
    case "Interpolate":
      for (const part of e.parts) if (typeof part !== "string") strictReads(part, lazy, out)
      return
    case "Match":
      // Only the arm the value's tag selects is computed, as only the branch an `if` takes.
      return strictReads(e.scrutinee, lazy, out)
    case "Merge":
      strictReads(e.left, lazy, out)
      return strictReads(e.right, lazy, out)
    case "Project":
    case "Untag":
      return strictReads(e.target, lazy, out)
    case "Coerce":
      return strictReads(e.value, lazy, out)
    default:
      return forEachInlineChild(e, (child) => strictReads(child, lazy, out))
  }
}

