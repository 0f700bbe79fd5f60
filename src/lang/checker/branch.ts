/**
 * `branch { c1 -> e1, ..., otherwise -> e }`: every condition is a Boolean
 * (E303), and the values need a common type (E304), which is the branch's
 * (the same rule as the two branches of an `if`).
 */
import type { Branch } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import { TUnknown, printType } from "../types.js"
import type { Type } from "../types.js"
import type { CheckContext } from "./context.js"
import { join } from "./join.js"

export const checkBranch = (ctx: CheckContext, branch: Branch): Type => {
  let common: Type = TUnknown
  let failed = false
  const value = (expr: Branch["otherwise"], what: string): void => {
    const type = ctx.infer(expr)
    const joined = join(common, type)
    if (joined !== undefined) {
      common = joined
      return
    }
    failed = true
    ctx.report(diagnostic(
      "BranchTypeMismatch",
      `Every case of a branch must give one type, but the cases before this one give ${printType(common)} and ${what} gives ${printType(type)}.`,
      expr.span
    ))
  }
  for (const c of branch.cases) {
    const condition = ctx.infer(c.condition)
    if (condition._tag !== "Boolean" && condition._tag !== "Unknown") {
      ctx.report(diagnostic(
        "ConditionNotBoolean",
        `The condition of a branch case must be Boolean, but it is ${printType(condition)}.`,
        c.condition.span,
        "Compare it, for example `score >= 90 -> \"A\"`."
      ))
    }
    value(c.value, "this one")
  }
  value(branch.otherwise, "`otherwise`")
  return failed ? TUnknown : common
}
