/**
 * Calls of the list functions (`filter`, `map`, `all`, `any`): two
 * arguments (E401), a list (E402) and a lambda (E324) taking one parameter
 * (E321), the element, whose body gives what the function needs: a Boolean
 * for `filter`, `all` and `any` (E322), anything for `map`. They take no
 * `with` options (E421): they are evaluated inline, not called.
 */
import { diagnostic } from "../diagnostic.js"
import { listFunctions, listFunctionSignature } from "../listFunctions.js"
import type { ListFunction } from "../listFunctions.js"
import { TUnknown, isAssignable, printType } from "../types.js"
import type { Type } from "../types.js"
import type { CallExpr } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { checkLambda, checkStrayLambda } from "./lambdas.js"
import { resolveCallee } from "./resolveCallee.js"

/** The list function a call's name ends with (`filter`, `c.filter`, `stdlib.collection.filter`), if any. */
export const listFunctionName = (call: CallExpr): string => call.callee.name.slice(call.callee.name.lastIndexOf(".") + 1)

/** Whether a call is to a list function rather than a module (module names start with a capital). */
export const isListFunctionCall = (call: CallExpr): boolean => listFunctions.has(listFunctionName(call))

/** Checks a call of a list function and returns its type. */
export const checkListFunctionCall = (ctx: CheckContext, call: CallExpr): Type => {
  // A qualified spelling must name stdlib.collection (through an alias, a `use`, or in full).
  if (call.callee.name.includes(".") && resolveCallee(ctx, call)?._tag !== "Intrinsic") {
    for (const arg of call.args) if (arg._tag !== "Lambda") ctx.infer(arg)
    return TUnknown
  }
  const fn = listFunctions.get(listFunctionName(call))!
  const first = call.options[0]
  if (first !== undefined) {
    ctx.report(diagnostic("ListFunctionOptions", `${fn.name} takes no \`with\` options: it is evaluated inline, not called as a module.`,
      { start: first.span.start, end: call.options[call.options.length - 1]!.span.end },
      "Put the options on the module calls that produce the list."))
  }
  const [list, lambda] = call.args
  if (call.args.length !== 2 || list === undefined || lambda === undefined) {
    ctx.report(diagnostic("ArgumentCount",
      `${fn.name} takes 2 arguments, a list and a lambda, but got ${call.args.length}: ${listFunctionSignature(fn)}.`,
      call.callee.span, `For example \`${example(fn)}\`.`))
    for (const arg of call.args) {
      if (arg._tag === "Lambda") checkStrayLambdaQuietly(ctx, arg)
      else ctx.infer(arg)
    }
    return fallbackType(fn)
  }
  const element = elementOf(ctx, fn, list)
  if (lambda._tag !== "Lambda") {
    const type = ctx.infer(lambda)
    ctx.report(diagnostic("ExpectedLambda",
      `The second argument of ${fn.name} must be a lambda, but it is ${printType(type)}.`,
      lambda.span, `Write a lambda over each element, for example \`${example(fn)}\`.`))
    return fallbackType(fn)
  }
  if (lambda.params.length !== 1) {
    ctx.report(diagnostic("LambdaArity",
      `${fn.name} passes one value to its lambda (each element of the list), but this lambda takes ${lambda.params.length}.`,
      { start: lambda.span.start, end: lambda.arrowSpan.end },
      `Take one parameter, the element: \`${example(fn)}\`.`))
  }
  const body = checkLambda(ctx, lambda, [element], fn.name)
  if (fn.lambdaResult !== undefined && !isAssignable(body, fn.lambdaResult)) {
    ctx.report(diagnostic("LambdaResultType",
      `The lambda of ${fn.name} must give a ${printType(fn.lambdaResult)}, ${purpose(fn)}, but its body is ${printType(body)}.`,
      lambda.body.span, body._tag === "Optional" ? "The value may be missing: give it a default with `??`." : "Compare the element, for example `(x) => x > 0`."))
    return fallbackType(fn)
  }
  return fn.result(element, body)
}

/** The element type of the list argument; Unknown after reporting what is not a list. */
const elementOf = (ctx: CheckContext, fn: ListFunction, list: CallExpr["args"][number]): Type => {
  const type = list._tag === "Lambda" ? checkStrayLambda(ctx, list) : ctx.infer(list)
  if (type._tag === "List") return type.element
  if (type._tag !== "Unknown") {
    ctx.report(diagnostic("ArgumentType", `The first argument of ${fn.name} must be a list, but it is ${printType(type)}.`,
      list.span, type._tag === "Optional" ? "The list may be missing: give it a default with `??` first, like `xs ?? []`." : undefined))
  }
  return TUnknown
}

/** A lambda among the wrong number of arguments: its body is checked, its place is already reported. */
const checkStrayLambdaQuietly = (ctx: CheckContext, lambda: Extract<CallExpr["args"][number], { readonly _tag: "Lambda" }>): void => {
  checkLambda(ctx, lambda, [], "the list function")
}

const fallbackType = (fn: ListFunction): Type => fn.result(TUnknown, TUnknown)

const purpose = (fn: ListFunction): string =>
  fn.name === "filter" ? "whether to keep the element" : `whether the element counts towards \`${fn.name}\``

const example = (fn: ListFunction): string =>
  fn.name === "map" ? "map(xs, (x) => x * 2)" : `${fn.name}(xs, (x) => x > 0)`
