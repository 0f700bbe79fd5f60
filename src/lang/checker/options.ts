/**
 * The `with` options of a call: `timeout`, `delay` and `maxDelay` (positive
 * durations), `retry` (a count, 0 or more), `backoff` (a strategy) and
 * `fallback` (an expression of the call's result type). Each may be given
 * once (E405); others are unknown (E403); a wrong value is E404, a fallback
 * of the wrong type E406.
 */
import type { CallOption } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import type { Backoff } from "../dag.js"
import { isAssignable, printType } from "../types.js"
import type { Type } from "../types.js"
import type { CallExpr, CallOptions } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { fallbackExpr } from "./references.js"
import { didYouMean } from "./suggest.js"

export const supportedOptions = ["timeout", "retry", "delay", "maxDelay", "backoff", "fallback"] as const
const backoffs: ReadonlyArray<Backoff> = ["fixed", "linear", "exponential", "capped"]
const durationKeys = { timeout: "timeoutMs", delay: "delayMs", maxDelay: "maxDelayMs" } as const

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const valueSpan = (option: CallOption) => (option._tag === "ExprOption" ? option.value.span : option.valueSpan)

/** The word a `backoff` value spells, whether read as a word or as a variable name. */
const wordOf = (option: CallOption): string | undefined =>
  option._tag === "WordOption"
    ? option.word
    : option._tag === "ExprOption" && option.value._tag === "Variable"
    ? option.value.name
    : undefined

const invalid = (ctx: CheckContext, option: CallOption, message: string, hint?: string): void =>
  ctx.report(diagnostic("InvalidOptionValue", message, valueSpan(option), hint))

/** Checks a call's options against the call's result type and normalises them. */
export const checkOptions = (ctx: CheckContext, call: CallExpr, resultType: Type): CallOptions => {
  const options: Mutable<CallOptions> = {}
  if (call.options.length === 0) return options
  const lines = new Map<string, number>()
  for (const option of call.options) {
    const name = option.name.name
    if (!(supportedOptions as ReadonlyArray<string>).includes(name)) {
      ctx.report(diagnostic(
        "UnknownOption",
        `\`${name}\` is not a call option. The supported options are ${supportedOptions.join(", ")}.`,
        option.name.span,
        didYouMean(name, supportedOptions)
      ))
      continue
    }
    const first = lines.get(name)
    if (first !== undefined) {
      ctx.report(diagnostic("DuplicateOption", `The option \`${name}\` is given twice (first on line ${first}).`, option.name.span))
      continue
    }
    lines.set(name, option.name.span.start.line)

    switch (name) {
      case "timeout":
      case "delay":
      case "maxDelay":
        if (option._tag === "DurationOption" && option.millis > 0 && Number.isFinite(option.millis)) {
          options[durationKeys[name]] = option.millis
        } else {
          invalid(
            ctx,
            option,
            `\`${name}\` needs a positive duration, such as \`500ms\`, \`2s\` or \`1min\`.`,
            option._tag === "IntOption" ? `add a unit: \`${option.value}ms\` or \`${option.value}s\`` : undefined
          )
        }
        break
      case "retry":
        if (option._tag === "IntOption" && Number.isSafeInteger(option.value) && option.value >= 0) options.retry = option.value
        else invalid(ctx, option, "`retry` needs a whole number of extra attempts, 0 or more, such as `retry: 3`.")
        break
      case "backoff": {
        const word = wordOf(option)
        const backoff = backoffs.find((b) => b === word)
        if (backoff !== undefined) options.backoff = backoff
        else invalid(ctx, option, `\`backoff\` is one of ${backoffs.join(", ")}.`, word === undefined ? undefined : didYouMean(word, backoffs))
        break
      }
      default: {
        const expr = fallbackExpr(option)
        if (expr === undefined) {
          invalid(ctx, option, "`fallback` needs a value of the call's result type, such as `fallback: \"unknown\"` or `fallback: defaultUser`.")
          break
        }
        const type = ctx.infer(expr)
        if (!isAssignable(type, resultType)) {
          ctx.report(diagnostic(
            "FallbackTypeMismatch",
            `The fallback must be ${printType(resultType)}, the result type of ${call.callee.name}, but it is ${printType(type)}.`,
            expr.span
          ))
        }
        options.fallback = expr
      }
    }
  }
  return options
}
