/**
 * Typing rules for operators: arithmetic, comparisons, `and`/`or`/`not`,
 * `??`, `when` and `if`.
 */
import type { Expr } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import { TBoolean, TFloat, TInt, TOptional, TString, TUnknown, isAssignable, isNumeric, printType } from "../types.js"
import type { Type } from "../types.js"
import type { CheckContext } from "./context.js"
import { join } from "./join.js"
import { isMergeable } from "./merge.js"
import { checkMerge } from "./typeAlgebra.js"

type Of<T extends Expr["_tag"]> = Extract<Expr, { readonly _tag: T }>

const both = (left: Type, right: Type): string => `${printType(left)} and ${printType(right)}`
const isStringLike = (t: Type): boolean => t._tag === "String" || t._tag === "Unknown"
const isBooleanLike = (t: Type): boolean => t._tag === "Boolean" || t._tag === "Unknown"

/** Wraps in `Optional` unless already optional: `Optional<Optional<T>>` has the same values as `Optional<T>`. */
export const optionalOf = (t: Type): Type => (t._tag === "Optional" || t._tag === "Unknown" ? t : TOptional(t))

/**
 * `+ - * /` take two numbers (Int op Int is Int, with a Float it is Float;
 * `/` on two Ints divides and truncates), and `+` also joins two Strings
 * and merges two records (`typeAlgebra.ts`).
 * `== !=` need compatible types; `< > <= >=` two numbers or two Strings.
 */
export const checkBinary = (ctx: CheckContext, expr: Of<"Binary">): Type => {
  const left = ctx.infer(expr.left)
  const right = ctx.infer(expr.right)
  switch (expr.op) {
    case "+":
    case "-":
    case "*":
    case "/": {
      if (expr.op === "+" && (isMergeable(left) || isMergeable(right))) return checkMerge(ctx, expr, left, right)
      if (expr.op === "+" && isStringLike(left) && isStringLike(right) && (left._tag === "String" || right._tag === "String")) {
        return TString
      }
      if (isNumeric(left) && isNumeric(right)) {
        if (left._tag === "Unknown" || right._tag === "Unknown") return TUnknown
        return left._tag === "Int" && right._tag === "Int" ? TInt : TFloat
      }
      const mixesText = left._tag === "String" || right._tag === "String"
      ctx.report(diagnostic(
        "OperatorTypeMismatch",
        expr.op === "+"
          ? `\`+\` adds two numbers or joins two Strings, but here it gets ${both(left, right)}.`
          : `\`${expr.op}\` needs two numbers (Int or Float), but here it gets ${both(left, right)}.`,
        expr.opSpan,
        expr.op === "+" && mixesText ? "to build text from other values use interpolation: \"${a} and ${b}\"" : undefined
      ))
      return TUnknown
    }
    case "==":
    case "!=":
      if (!isAssignable(left, right) && !isAssignable(right, left)) {
        ctx.report(diagnostic(
          "ComparisonTypeMismatch",
          `\`${expr.op}\` compares two values of the same type, but here it gets ${both(left, right)}.`,
          expr.opSpan
        ))
      }
      return TBoolean
    default:
      if (!(isNumeric(left) && isNumeric(right)) && !(isStringLike(left) && isStringLike(right))) {
        ctx.report(diagnostic(
          "ComparisonTypeMismatch",
          `\`${expr.op}\` compares two numbers or two Strings, but here it gets ${both(left, right)}.`,
          expr.opSpan
        ))
      }
      return TBoolean
  }
}

/** `and`, `or` and `not` take Booleans and give a Boolean. */
export const checkLogical = (ctx: CheckContext, expr: Of<"And"> | Of<"Or"> | Of<"Not">): Type => {
  const word = expr._tag === "And" ? "and" : expr._tag === "Or" ? "or" : "not"
  const operands = expr._tag === "Not" ? [expr.operand] : [expr.left, expr.right]
  for (const operand of operands) {
    const type = ctx.infer(operand)
    if (isBooleanLike(type)) continue
    ctx.report(diagnostic(
      "OperatorTypeMismatch",
      `\`${word}\` needs Boolean values, but this one is ${printType(type)}.`,
      operand.span
    ))
  }
  return TBoolean
}

/**
 * `a ?? b`: `a` is `Optional<T>`; `b` is `T` (the result is `T`) or
 * `Optional<T>` (the result stays optional).
 */
export const checkCoalesce = (ctx: CheckContext, expr: Of<"Coalesce">): Type => {
  const left = ctx.infer(expr.left)
  const right = ctx.infer(expr.right)
  if (left._tag === "Unknown") return TUnknown
  if (left._tag !== "Optional") {
    ctx.report(diagnostic(
      "CoalesceNotOptional",
      `The left side of \`??\` must be an Optional value (one that may be missing), but it is ${printType(left)}.`,
      expr.left.span,
      "`??` gives a default for a missing value; this value is never missing, so the `??` can go"
    ))
    return TUnknown
  }
  if (isAssignable(right, left.inner)) return left.inner
  if (isAssignable(right, left)) return left
  ctx.report(diagnostic(
    "OperatorTypeMismatch",
    `The default after \`??\` must be ${printType(left.inner)} (or ${printType(left)}), but it is ${printType(right)}.`,
    expr.right.span
  ))
  return TUnknown
}

/** `e when c`: `c` is a Boolean; the result is `Optional` of `e`'s type, missing when `c` is false. */
export const checkWhen = (ctx: CheckContext, expr: Of<"When">): Type => {
  const value = ctx.infer(expr.value)
  const condition = ctx.infer(expr.condition)
  if (!isBooleanLike(condition)) {
    ctx.report(diagnostic(
      "ConditionNotBoolean",
      `The condition after \`when\` must be Boolean, but it is ${printType(condition)}.`,
      expr.condition.span
    ))
  }
  return optionalOf(value)
}

/** `if c then a else b`: `c` is a Boolean; `a` and `b` need a common type, which is the result's. */
export const checkIf = (ctx: CheckContext, expr: Of<"If">): Type => {
  const condition = ctx.infer(expr.condition)
  if (!isBooleanLike(condition)) {
    ctx.report(diagnostic(
      "ConditionNotBoolean",
      `The condition of \`if\` must be Boolean, but it is ${printType(condition)}.`,
      expr.condition.span
    ))
  }
  const then = ctx.infer(expr.then)
  const otherwise = ctx.infer(expr.else)
  const common = join(then, otherwise)
  if (common !== undefined) return common
  ctx.report(diagnostic(
    "BranchTypeMismatch",
    `Both branches of \`if\` must give one type, but the first gives ${printType(then)} and the \`else\` gives ${printType(otherwise)}.`,
    expr.else.span
  ))
  return TUnknown
}
