/**
 * Type inference for expressions: literals, variables, lists, records and
 * field access here; operators and calls in their own files. Every
 * expression's type is recorded; a failed one is `Unknown`, which is
 * assignable to everything, so one mistake gives one diagnostic.
 */
import type { Expr } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import { TBoolean, TFloat, TInt, TList, TRecord, TString, TUnknown, printType, recordField } from "../types.js"
import type { Type } from "../types.js"
import { checkBranch } from "./branch.js"
import { checkCall } from "./calls.js"
import type { FieldAccessExpr } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { join } from "./join.js"
import { checkStrayLambda } from "./lambdas.js"
import { checkListFunctionCall, isListFunctionCall } from "./listFunctionCalls.js"
import { checkMatch } from "./match.js"
import { checkBinary, checkCoalesce, checkIf, checkLogical, checkWhen } from "./operators.js"
import { didYouMean } from "./suggest.js"
import { checkProjection } from "./typeAlgebra.js"
import { MAX_TYPE_SIZE, tooLargeMessage, typeSize } from "./typeSize.js"
import { unknownVariable } from "./unknownVariable.js"

/** Infers and records the type of `expr`. */
export const inferExpr = (ctx: CheckContext, expr: Expr): Type => {
  const type = infer(ctx, expr)
  ctx.types.set(expr, type)
  return type
}

const infer = (ctx: CheckContext, expr: Expr): Type => {
  switch (expr._tag) {
    case "IntLiteral":
      return TInt
    case "FloatLiteral":
      return TFloat
    case "BooleanLiteral":
      return TBoolean
    case "StringLiteral":
      for (const part of expr.parts) if (part._tag === "Interpolation") ctx.infer(part.expr)
      return TString
    case "ListLiteral":
      return inferList(ctx, expr.items)
    case "RecordLiteral": {
      const fields: Array<readonly [string, Type]> = []
      const seen = new Map<string, string>()
      for (const field of expr.fields) {
        const type = ctx.infer(field.value)
        const first = seen.get(field.name.name)
        if (first !== undefined) {
          ctx.report(diagnostic(
            "DuplicateField",
            `The field \`${field.name.name}\` appears twice in this record (first at ${first}).`,
            field.name.span
          ))
          continue
        }
        seen.set(field.name.name, `${field.name.span.start.line}:${field.name.span.start.column}`)
        fields.push([field.name.name, type])
      }
      const record = TRecord(fields)
      if (typeSize(record) <= MAX_TYPE_SIZE) return record
      ctx.report(diagnostic("TypeTooLarge", tooLargeMessage("The type of this record"), expr.span))
      return TUnknown
    }
    case "Variable": {
      const type = ctx.valueType(expr.name)
      if (type !== undefined) return type
      ctx.report(unknownVariable(expr.name, expr.span, ctx.valueNames()))
      return TUnknown
    }
    case "Call":
      return isListFunctionCall(expr) ? checkListFunctionCall(ctx, expr) : checkCall(ctx, expr)
    case "FieldAccess":
      return inferField(ctx, expr)
    case "Binary":
      return checkBinary(ctx, expr)
    case "And":
    case "Or":
    case "Not":
      return checkLogical(ctx, expr)
    case "Coalesce":
      return checkCoalesce(ctx, expr)
    case "When":
      return checkWhen(ctx, expr)
    case "If":
      return checkIf(ctx, expr)
    case "Lambda":
      return checkStrayLambda(ctx, expr)
    case "Branch":
      return checkBranch(ctx, expr)
    case "Projection":
      return checkProjection(ctx, expr)
    case "Match":
      return checkMatch(ctx, expr)
    case "ErrorExpr":
      return TUnknown
  }
}

/** A list's element type is the common type of its elements; `[]` is `List<Unknown>`. */
const inferList = (ctx: CheckContext, items: ReadonlyArray<Expr>): Type => {
  let element: Type = TUnknown
  let failed = false
  for (const item of items) {
    const type = ctx.infer(item)
    const common = join(element, type)
    if (common !== undefined) {
      element = common
      continue
    }
    failed = true
    ctx.report(diagnostic(
      "ListElementMismatch",
      `All elements of a list need one type: the elements before this one are ${printType(element)}, but this one is ${printType(type)}.`,
      item.span
    ))
  }
  return TList(failed ? TUnknown : element)
}

const listOf = (element: Type, depth: number): Type => {
  let result = element
  for (let i = 0; i < depth; i++) result = TList(result)
  return result
}

/**
 * `.field` on a record, or element-wise on a list of records (any depth):
 * `users.name` on `List<{name: String}>` is `List<String>`.
 */
const inferField = (ctx: CheckContext, expr: FieldAccessExpr): Type => {
  const target = ctx.infer(expr.target)
  let element = target
  let depth = 0
  while (element._tag === "List") {
    element = element.element
    depth++
  }
  ctx.listDepths.set(expr, depth)
  const name = expr.field.name
  if (element._tag === "Unknown") return listOf(TUnknown, depth)
  if (element._tag !== "Record") {
    ctx.report(diagnostic(
      "TypeMismatch",
      `\`.${name}\` reads a field of a record, but this value is ${printType(target)}.`,
      expr.field.span,
      element._tag === "Optional" ? "the value may be missing: give it a default with `??` first"
        : element._tag === "Union" ? "a union has no fields of its own: take each member apart with `match`" : undefined
    ))
    return TUnknown
  }
  const field = recordField(element, name)
  if (field !== undefined) return listOf(field, depth)
  const available = element.fields.map(([k]) => k)
  ctx.report(diagnostic(
    "UnknownField",
    `${printType(element)} has no field \`${name}\`. ${available.length === 0 ? "It has no fields." : `Available fields: ${available.join(", ")}.`}`,
    expr.field.span,
    didYouMean(name, available)
  ))
  return TUnknown
}
