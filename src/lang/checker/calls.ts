/**
 * Module calls: the name must resolve to a module (E400, and the namespace
 * rules of resolveCallee.ts), take as many arguments as
 * given (E401; trailing parameters with a default may be left out), each of
 * an assignable type (E402). Type variables are bound
 * per call from the arguments and substituted into the result.
 */
import { diagnostic } from "../diagnostic.js"
import { listFunctions } from "../listFunctions.js"
import { TUnknown, isAssignable, printType } from "../types.js"
import type { Parameter } from "../../modules/Module.js"
import { printParameter } from "../../modules/ModuleRegistry.js"
import type { Type } from "../types.js"
import type { CallExpr } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { bindVariables, hasVariables, substitute } from "./generics.js"
import type { Bindings } from "./generics.js"
import { checkOptions } from "./options.js"
import { resolveCallee } from "./resolveCallee.js"
import { wrapType } from "../onError.js"
import { didYouMean } from "./suggest.js"

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`

/** How many leading parameters have no default: the fewest arguments a call may give. */
const requiredCount = (params: ReadonlyArray<Parameter>): number => {
  let n = params.length
  while (n > 0 && params[n - 1]!.default !== undefined) n--
  return n
}

export const checkCall = (ctx: CheckContext, call: CallExpr): Type => {
  const argTypes = call.args.map((arg) => ctx.infer(arg))
  const name = call.callee.name
  const callee = resolveCallee(ctx, call)
  if (callee?._tag !== "Module") {
    checkOptions(ctx, call, TUnknown)
    return TUnknown
  }
  const module = callee.module

  const params = module.params
  const required = requiredCount(params)
  if (argTypes.length < required || argTypes.length > params.length) {
    const list = params.map(printParameter).join(", ")
    const expected = required === params.length ? plural(params.length, "argument") : `${required} to ${params.length} arguments`
    ctx.report(diagnostic(
      "ArgumentCount",
      params.length === 0
        ? `${name} takes no arguments but got ${argTypes.length}.`
        : `${name} takes ${expected} (${list}) but got ${argTypes.length}.`,
      call.callee.span,
      required < params.length && argTypes.length < required
        ? `Only the arguments with a default (after \`=\`) may be left out.`
        : undefined
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
  const options = checkOptions(ctx, call, type)
  const callType = options.onError === "wrap" ? wrapType(type) : type
  const paramTypes = params.map((p) => (generic ? substitute(p.type, bindings) : p.type))
  ctx.calls.set(call, { module, type: callType, params: paramTypes, options })
  return callType
}
