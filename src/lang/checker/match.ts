/**
 * `match`: the value's members (a union's, or the one type of any other
 * value) are shared out among the arms in order. `{a, b}` takes the record
 * members with those fields and reads them as variables in its arm; `is T`
 * takes `T` (each member of `T` when it is a union); `_` takes the rest.
 * Every member must be taken (E331, naming the missing ones); an arm that
 * takes nothing left is unreachable (E332); a pattern no member fits is
 * E333; a field whose type differs among the members a record pattern
 * takes, without a common type, is E334. The result is the common type of
 * the arms (E304 otherwise).
 *
 * Inside an arm that takes one member, a matched variable (`match x`) has
 * that member's type. A module call in an arm may read the arm's bindings:
 * it is then made when the arm is taken (`lazy` on it is E335).
 */
import type { Expr, MatchArm, Pattern } from "../ast.js"
import { forEachChild } from "../forEachChild.js"
import { diagnostic } from "../diagnostic.js"
import { TUnknown, printType, recordField, unionTag } from "../types.js"
import type { Type } from "../types.js"
import type { CallExpr, MatchExpr, MatchPlan } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { inferExpr } from "./expressions.js"
import { join } from "./join.js"
import { isListFunctionCall } from "./listFunctionCalls.js"
import { referencedNames } from "./references.js"
import { didYouMean } from "./suggest.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const list = (types: ReadonlyArray<Type>): string => {
  const names = types.map(printType)
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`
}

/** The members `pattern` can take, the variables it binds; undefined after reporting a pattern that fits nothing. */
const patternMembers = (
  ctx: CheckContext,
  pattern: Pattern,
  members: ReadonlyArray<Type>,
  value: Type
): { readonly takes: ReadonlyArray<Type> } | undefined => {
  switch (pattern._tag) {
    case "WildcardPattern":
      return { takes: members }
    case "TypePattern": {
      const type = ctx.resolveType(pattern.type)
      if (type._tag === "Unknown") return undefined
      const wanted = type._tag === "Union" ? type.members : [type]
      const tags = new Set(members.map(unionTag))
      const strangers = wanted.filter((t) => !tags.has(unionTag(t)))
      if (strangers.length === 0) return { takes: wanted }
      ctx.report(diagnostic(
        "PatternNeverMatches",
        `\`is ${printType(type)}\` can never match: ${list(strangers)} ${strangers.length === 1 ? "is not a member" : "are not members"} of ${printType(value)}.`,
        pattern.span,
        `The value is one of: ${list(members)}.`
      ))
      return undefined
    }
    case "RecordPattern": {
      const names = pattern.fields.map((f) => f.name)
      const seen = new Set<string>()
      for (const field of pattern.fields) {
        if (seen.has(field.name)) {
          ctx.report(diagnostic("DuplicateField", `The field \`${field.name}\` appears twice in this pattern.`, field.span))
        }
        seen.add(field.name)
      }
      const takes = members.filter((m) => m._tag === "Record" && names.every((n) => recordField(m, n) !== undefined))
      if (takes.length === 0) {
        const records = members.filter((m) => m._tag === "Record")
        const known = records.flatMap((r) => (r._tag === "Record" ? r.fields.map(([k]) => k) : []))
        const missing = pattern.fields.find((f) => !known.includes(f.name)) ?? pattern.fields[0]!
        ctx.report(diagnostic(
          "PatternNeverMatches",
          `\`{${names.join(", ")}}\` can never match: no record in ${printType(value)} has ${names.length === 1 ? "this field" : "all these fields"}.`,
          missing.span,
          didYouMean(missing.name, known) ?? (records.length === 0 ? "The value has no record members: match it with `is Type` or `_`." : undefined)
        ))
        return undefined
      }
      return { takes }
    }
  }
}

/** The variables a record pattern binds, each of the common type of the field in the members it takes (E334 otherwise). */
const recordBindings = (ctx: CheckContext, pattern: Pattern, takes: ReadonlyArray<Type>): ReadonlyMap<string, Type> => {
  const bindings = new Map<string, Type>()
  if (pattern._tag !== "RecordPattern") return bindings
  for (const field of pattern.fields) {
    let common: Type | undefined = TUnknown
    for (const m of takes) common = common === undefined ? undefined : join(common, recordField(m, field.name) ?? TUnknown)
    if (common === undefined) {
      ctx.report(diagnostic(
        "PatternFieldConflict",
        `\`${field.name}\` has no one type in the records this pattern takes: ${list(takes.map((m) => recordField(m, field.name) ?? TUnknown))}.`,
        field.span,
        "Match each record with a pattern of its own, with a field only it has."
      ))
    }
    bindings.set(field.name, common ?? TUnknown)
  }
  return bindings
}

/** The module calls in `e` (list functions' arguments and lambdas too, nested calls too), outermost first. */
const callsIn = (e: Expr, found: Array<CallExpr>): Array<CallExpr> => {
  // A list function (`filter`, `map`...) is inline, not a module call: it may read the arm's bindings.
  if (e._tag === "Call" && !isListFunctionCall(e)) found.push(e)
  forEachChild(e, (child) => callsIn(child, found))
  return found
}

/**
 * E335: a module call in an arm that reads the arm's bindings is made each
 * time the arm is evaluated with them, so `lazy` on it has no meaning.
 */
const checkCallsInArm = (ctx: CheckContext, arm: MatchArm, bindings: ReadonlyMap<string, Type>): void => {
  for (const call of callsIn(arm.body, [])) {
    const lazy = call.options.find((o) => o.name.name === "lazy")
    if (lazy === undefined) continue
    const read = call.args.flatMap(referencedNames).find((name) => bindings.has(name))
    if (read === undefined) continue
    ctx.report(diagnostic(
      "MatchBindingInCall",
      `\`lazy\` has no meaning here: \`${call.callee.name}(...)\` reads \`${read}\`, which this arm binds, so it is called only when the arm is taken, with its value.`,
      lazy.span,
      "Remove `lazy`: a call that reads an arm's bindings already runs only when its arm is taken."
    ))
  }
}

/** Checks one arm's body with its bindings in scope. */
const checkArmBody = (ctx: CheckContext, arm: MatchArm, bindings: ReadonlyMap<string, Type>): Type => {
  if (bindings.size === 0) return ctx.infer(arm.body)
  const armCtx: CheckContext = {
    ...ctx,
    infer: (e) => inferExpr(armCtx, e),
    valueType: (name) => bindings.get(name) ?? ctx.valueType(name),
    valueNames: () => [...bindings.keys(), ...ctx.valueNames()]
  }
  return armCtx.infer(arm.body)
}

/** The type of a `match`; records its plan for the compiler. */
export const checkMatch = (ctx: CheckContext, expr: MatchExpr): Type => {
  const value = ctx.infer(expr.scrutinee)
  const members = value._tag === "Union" ? value.members : [value]
  const unknown = value._tag === "Unknown"
  const variable = expr.scrutinee._tag === "Variable" ? expr.scrutinee.name : undefined
  const taken = new Set<string>()
  const arms: Array<Mutable<MatchPlan["arms"][number]>> = []
  let result: Type | undefined = TUnknown
  let failed = false
  for (const arm of expr.arms) {
    const left = members.filter((m) => !taken.has(unionTag(m)))
    const found = unknown ? undefined : patternMembers(ctx, arm.pattern, arm.pattern._tag === "WildcardPattern" ? left : members, value)
    const takes = (found?.takes ?? []).filter((m) => !taken.has(unionTag(m)))
    if (found !== undefined && takes.length === 0) {
      ctx.report(diagnostic(
        "UnreachableMatchArm",
        left.length === 0
          ? "This arm can never run: the arms before it take every value already."
          : `This arm can never run: the arms before it take ${list(found.takes)} already.`,
        arm.pattern.span,
        "Remove the arm, or move it before the arm that takes its values."
      ))
    }
    for (const m of takes) taken.add(unionTag(m))
    const bindings = new Map(found === undefined ? [] : recordBindings(ctx, arm.pattern, takes.length > 0 ? takes : found.takes))
    const fields = [...bindings.keys()]
    const narrowed = variable !== undefined && value._tag === "Union" && takes.length === 1 && !bindings.has(variable) ? variable : undefined
    if (narrowed !== undefined) bindings.set(narrowed, takes[0]!)
    if (unknown && arm.pattern._tag === "RecordPattern") for (const f of arm.pattern.fields) bindings.set(f.name, TUnknown)
    arms.push({ tags: takes.map(unionTag), fields, narrowed })
    checkCallsInArm(ctx, arm, bindings)
    const type = checkArmBody(ctx, arm, bindings)
    const common: Type | undefined = result === undefined ? undefined : join(result, type)
    if (common === undefined && !failed) {
      failed = true
      ctx.report(diagnostic(
        "BranchTypeMismatch",
        `All arms of a match must give one type, but the arms before this one give ${printType(result ?? TUnknown)} and this one gives ${printType(type)}.`,
        arm.body.span
      ))
    }
    result = common
  }
  const missing = unknown ? [] : members.filter((m) => !taken.has(unionTag(m)))
  const first = missing[0]
  if (first !== undefined && expr.arms.length > 0) {
    const example = first._tag === "Record" && first.fields.length > 0
      ? `{${first.fields.slice(0, 2).map(([k]) => k).join(", ")}}`
      : `is ${printType(first)}`
    ctx.report(diagnostic(
      "NonExhaustiveMatch",
      `This match does not handle ${list(missing)}: the value is ${printType(value)}.`,
      expr.scrutinee.span,
      `Add an arm for ${missing.length === 1 ? "it" : "each"} (like \`${example} -> ...\`), or \`_ -> ...\` for the rest.`
    ))
  }
  ctx.matches.set(expr, { union: value._tag === "Union", arms })
  return failed ? TUnknown : result ?? TUnknown
}
