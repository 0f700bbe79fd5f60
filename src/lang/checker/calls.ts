/**
 * Module calls: the module must exist (E400), take as many arguments as
 * given (E401), each of an assignable type (E402). Type variables are bound
 * per call from the arguments and substituted into the result.
 */
import { diagnostic } from "../diagnostic.js"
import { TUnknown, isAssignable, printType } from "../types.js"
import type { Type } from "../types.js"
import type { CallExpr } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { bindVariables, hasVariables, substitute } from "./generics.js"
import type { Bindings } from "./generics.js"
import { checkOptions } from "./options.js"
import { didYouMean } from "./suggest.js"

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`

export const checkCall = (ctx: CheckContext, call: CallExpr): Type => {
  const argTypes = call.args.map((arg) => ctx.infer(arg))
  const name = call.callee.name
  const module = ctx.registry.get(name)
  if (module === undefined) {
    ctx.report(diagnostic(
      "UnknownModule",
      `Unknown module \`${name}\`: no module of that name is registered.`,
      call.callee.span,
      didYouMean(name, ctx.registry.list().map((m) => m.name))
    ))
    checkOptions(ctx, call, TUnknown)
    return TUnknown
  }

  const params = module.params
  if (params.length !== argTypes.length) {
    const list = params.map((p) => `${p.name}: ${printType(p.type)}`).join(", ")
    ctx.report(diagnostic(
      "ArgumentCount",
      params.length === 0
        ? `${name} takes no arguments but got ${argTypes.length}.`
        : `${name} takes ${plural(params.length, "argument")} (${list}) but got ${argTypes.length}.`,
      call.callee.span
    ))
  }

  const count = Math.min(params.length, argTypes.length)
  const generic = hasVariables(module.result) || params.some((p) => hasVariables(p.type))
  const bindings: Bindings = new Map()
  if (generic) for (let i = 0; i < count; i++) bindVariables(params[i]!.type, argTypes[i]!, bindings)
  for (let i = 0; i < count; i++) {
    const param = params[i]!
    const expected = generic ? substitute(param.type, bindings) : param.type
    const actual = argTypes[i]!
    if (isAssignable(actual, expected)) continue
    ctx.report(diagnostic(
      "ArgumentType",
      `Argument ${i + 1} of ${name} (${param.name}) must be ${printType(expected)}, but it is ${printType(actual)}.`,
      call.args[i]!.span
    ))
  }

  const type = generic ? substitute(module.result, bindings) : module.result
  const paramTypes = params.map((p) => (generic ? substitute(p.type, bindings) : p.type))
  ctx.calls.set(call, { module, type, params: paramTypes, options: checkOptions(ctx, call, type) })
  return type
}
