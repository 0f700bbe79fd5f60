/**
 * Lambdas: their parameters (E220 for a name given twice, E323 for an
 * annotation the values passed cannot have) and the scope of their body. A
 * module call in a body that uses the lambda's parameters is made once per
 * element (`lazy` on it is E420: it has no meaning there); a call that uses
 * only values from outside the lambda is a node of the graph, run once, and
 * the lambda reads its result.
 *
 * Scoping is lexical: a parameter hides an input or assignment of the same
 * name inside the body, and an inner lambda's parameter an outer one's.
 */
import type { Expr, Lambda } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import { forEachChild } from "../forEachChild.js"
import { TUnknown, isAssignable, printType } from "../types.js"
import type { Type } from "../types.js"
import type { CallExpr } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { inferExpr } from "./expressions.js"
import { isListFunctionCall } from "./listFunctionCalls.js"
import { referencedNames } from "./references.js"

/** The parameter names of every lambda a context's expressions are inside. */
const localsOf = new WeakMap<CheckContext, ReadonlySet<string>>()

/** The types a checked lambda's parameters have in its body (their annotations, else the values passed). */
const paramTypesOf = new WeakMap<Lambda, ReadonlyArray<Type>>()

/**
 * The types of a checked lambda's parameters in its body. The compiler
 * converts an element to its parameter's type where their runtime forms
 * differ (an annotation that is a union wider than the elements).
 */
export const lambdaParamTypes = (lambda: Lambda): ReadonlyArray<Type> => paramTypesOf.get(lambda) ?? []

/** The lambda parameters in scope where `ctx` checks (empty outside lambdas). */
export const localNames = (ctx: CheckContext): ReadonlySet<string> => localsOf.get(ctx) ?? new Set()

/**
 * Checks a lambda whose parameters receive values of `passed` types (one per
 * parameter the caller passes; extra parameters are Unknown), and returns
 * the type of its body. `caller` names the list function, for messages.
 */
export const checkLambda = (ctx: CheckContext, lambda: Lambda, passed: ReadonlyArray<Type>, caller: string): Type => {
  const params = new Map<string, Type>()
  lambda.params.forEach((param, i) => {
    const name = param.name.name
    if (params.has(name)) {
      ctx.report(diagnostic("DuplicateParameter", `The parameter \`${name}\` is named twice in this lambda.`, param.name.span,
        "Give each parameter its own name."))
      return
    }
    const given = passed[i] ?? TUnknown
    if (param.type === undefined) {
      params.set(name, given)
      return
    }
    const declared = ctx.resolveType(param.type)
    if (!isAssignable(given, declared)) {
      ctx.report(diagnostic(
        "LambdaParameterType",
        `The parameter \`${name}\` is declared ${printType(declared)}, but ${caller} passes it ${printType(given)} values.`,
        param.type.span,
        `Leave the type out, \`(${name}) => ...\`, and it is taken from the list: ${printType(given)}.`
      ))
    }
    params.set(name, declared)
  })
  paramTypesOf.set(lambda, lambda.params.map((p) => params.get(p.name.name) ?? TUnknown))
  const locals = new Set([...localNames(ctx), ...params.keys()])
  const inner: CheckContext = {
    ...ctx,
    infer: (e) => inferExpr(inner, e),
    valueType: (name) => params.get(name) ?? ctx.valueType(name),
    valueNames: () => [...params.keys(), ...ctx.valueNames()]
  }
  localsOf.set(inner, locals)
  const type = inner.infer(lambda.body)
  reportCallsOnLocals(ctx, lambda.body, locals)
  return type
}

/** E320: a lambda anywhere but as the function argument of a list function. Its body is still checked. */
export const checkStrayLambda = (ctx: CheckContext, lambda: Lambda): Type => {
  ctx.report(diagnostic(
    "LambdaOutsideListFunction",
    "A lambda can only be the second argument of a list function: filter, map, all or any.",
    { start: lambda.span.start, end: lambda.arrowSpan.end },
    "For example `filter(xs, (x) => x > 0)` or `map(xs, (x) => x * 2)`; a module cannot take a lambda."
  ))
  checkLambda(ctx, lambda, lambda.params.map((p) => (p.type === undefined ? TUnknown : ctx.resolveType(p.type))), "the lambda's caller")
  return TUnknown
}

/**
 * E420 for each call in `body` (not inside a nested lambda, which reports
 * its own) that reads a parameter in `locals` and is marked `lazy`: such a
 * call is made per element, each time the body reaches it, which is all
 * that `lazy` could ask.
 */
const reportCallsOnLocals = (ctx: CheckContext, body: Expr, locals: ReadonlySet<string>): void => {
  forEachCall(body, (call) => {
    const lazy = call.options.find((o) => o.name.name === "lazy")
    if (lazy === undefined) return
    const used = referencedNames(call).find((name) => locals.has(name))
    if (used === undefined) return
    ctx.report(diagnostic(
      "ModuleCallInLambda",
      `\`lazy\` has no meaning here: the call to ${call.callee.name} uses \`${used}\`, so it is made once per element, only when the lambda's body reaches it.`,
      lazy.span,
      "Remove `lazy`: a call inside a lambda already runs only for the elements whose evaluation needs it."
    ))
  })
}

/** Calls `f` on every module call in `e`, outermost first, without entering lambdas or the calls' own arguments. */
const forEachCall = (e: Expr, f: (call: CallExpr) => void): void => {
  if (e._tag === "Lambda") return
  if (e._tag === "Call" && !isListFunctionCall(e)) return f(e)
  forEachChild(e, (child) => forEachCall(child, f))
}
