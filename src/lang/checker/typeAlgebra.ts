/**
 * Type algebra on values: record merge `a + b` (see `merge.ts`) and
 * projection `x{a, b}` / `x[a, b]`, a record of the named fields, in the
 * order named, element-wise through lists of records.
 */
import type { Expr } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import { TList, TRecord, TUnknown, printType, recordField } from "../types.js"
import type { Type } from "../types.js"
import type { CheckContext } from "./context.js"
import { mergeTypes } from "./merge.js"
import { didYouMean } from "./suggest.js"
import { MAX_TYPE_SIZE, tooLargeMessage, typeSize } from "./typeSize.js"

type Of<T extends Expr["_tag"]> = Extract<Expr, { readonly _tag: T }>

/** `a + b` where one side is a record (or a list of records): both must be. */
export const checkMerge = (ctx: CheckContext, expr: Of<"Binary">, left: Type, right: Type): Type => {
  const merged = mergeTypes(left, right)
  if (merged === undefined) {
    ctx.report(diagnostic(
      "IncompatibleMerge",
      `\`+\` with a record merges two records (or lists of records), but here it gets ${printType(left)} and ${printType(right)}.`,
      expr.opSpan,
      "Merge records with records: {a: 1} + {b: 2}; to add a field, merge a record literal: user + {active: true}."
    ))
    return TUnknown
  }
  if (typeSize(merged) <= MAX_TYPE_SIZE) return merged
  ctx.report(diagnostic("TypeTooLarge", tooLargeMessage("The type of this merge"), expr.span))
  return TUnknown
}

/** `x{a, b}`: the named fields of a record, element-wise through lists. */
export const checkProjection = (ctx: CheckContext, expr: Of<"Projection">): Type => {
  const target = ctx.infer(expr.target)
  let element = target
  let depth = 0
  while (element._tag === "List") {
    element = element.element
    depth++
  }
  if (element._tag === "Unknown") return TUnknown
  if (element._tag !== "Record") {
    ctx.report(diagnostic(
      "TypeMismatch",
      `A projection selects fields of a record, but this value is ${printType(target)}.`,
      expr.span,
      element._tag === "Optional" ? "the value may be missing: give it a default with `??` first"
        : element._tag === "Union" ? "a union has no fields of its own: take each member apart with `match`" : undefined
    ))
    return TUnknown
  }
  const fields: Array<readonly [string, Type]> = []
  const available = element.fields.map(([k]) => k)
  let failed = false
  for (const field of expr.fields) {
    const type = recordField(element, field.name)
    if (fields.some(([k]) => k === field.name)) {
      ctx.report(diagnostic("DuplicateField", `The field \`${field.name}\` appears twice in this projection.`, field.span))
    } else if (type === undefined) {
      failed = true
      ctx.report(diagnostic(
        "UnknownField",
        `${printType(element)} has no field \`${field.name}\` to project. Available fields: ${available.length === 0 ? "none" : available.join(", ")}.`,
        field.span,
        didYouMean(field.name, available)
      ))
    } else fields.push([field.name, type])
  }
  if (failed) return TUnknown
  let result = TRecord(fields)
  for (let i = 0; i < depth; i++) result = TList(result)
  return result
}
