/**
 * The `with` options of a call. Retrying: `timeout`, `delay` and `maxDelay`
 * (positive durations), `retry` (a count, 0 or more), `backoff` (a
 * strategy) and `fallback` (an expression of the call's result type).
 * Where and when it runs: `cache` (a duration) with `cache_backend`,
 * `throttle` (a rate), `concurrency` (a count), `on_error` (a strategy),
 * `lazy` (a flag) and `priority` (a level), checked in schedulingOptions.ts.
 *
 * Each may be given once (E405); others are unknown (E403); a wrong value
 * is E404, a fallback of the wrong type E406, and options that cannot go
 * together E422.
 */
import type { CallOption } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import type { Backoff } from "../dag.js"
import { isAssignable, printType } from "../types.js"
import type { Type } from "../types.js"
import type { CallExpr, CallOptions } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { fallbackExpr } from "./references.js"
import {
  checkCacheBackend,
  checkConcurrency,
  checkLazy,
  checkOnError,
  checkPriority,
  checkThrottle,
  invalid,
  positiveDuration,
  wordOf
} from "./schedulingOptions.js"
import { didYouMean } from "./suggest.js"

export const supportedOptions = [
  "timeout",
  "retry",
  "delay",
  "maxDelay",
  "backoff",
  "fallback",
  "cache",
  "cache_backend",
  "throttle",
  "concurrency",
  "on_error",
  "lazy",
  "priority"
] as const
const backoffs: ReadonlyArray<Backoff> = ["fixed", "linear", "exponential", "capped"]
const durationKeys = { timeout: "timeoutMs", delay: "delayMs", maxDelay: "maxDelayMs", cache: "cacheMs" } as const

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Checks a call's options against the call's result type and normalises them. */
export const checkOptions = (ctx: CheckContext, call: CallExpr, resultType: Type): CallOptions => {
  const options: Mutable<CallOptions> = {}
  if (call.options.length === 0) return options
  const given = new Map<string, CallOption>()
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
    const first = given.get(name)
    if (first !== undefined) {
      ctx.report(diagnostic("DuplicateOption", `The option \`${name}\` is given twice (first on line ${first.name.span.start.line}).`, option.name.span))
      continue
    }
    given.set(name, option)

    switch (name) {
      case "timeout":
      case "delay":
      case "maxDelay":
      case "cache": {
        const millis = positiveDuration(ctx, option, name)
        if (millis !== undefined) options[durationKeys[name]] = millis
        break
      }
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
      case "cache_backend":
        checkCacheBackend(ctx, option)
        break
      case "throttle": {
        const throttle = checkThrottle(ctx, option)
        if (throttle !== undefined) options.throttle = throttle
        break
      }
      case "concurrency": {
        const n = checkConcurrency(ctx, option)
        if (n !== undefined) options.concurrency = n
        break
      }
      case "on_error": {
        const strategy = checkOnError(ctx, option, resultType)
        if (strategy !== undefined && strategy !== "propagate") options.onError = strategy
        break
      }
      case "lazy": {
        const lazy = checkLazy(ctx, option)
        if (lazy === true) options.lazy = true
        break
      }
      case "priority": {
        const priority = checkPriority(ctx, option)
        if (priority !== undefined) options.priority = priority
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
  checkCombinations(ctx, given, options)
  return options
}

/** Options that cannot go together (E422). */
const checkCombinations = (ctx: CheckContext, given: ReadonlyMap<string, CallOption>, options: CallOptions): void => {
  const backend = given.get("cache_backend")
  if (backend !== undefined && !given.has("cache")) {
    ctx.report(diagnostic(
      "OptionConflict",
      "`cache_backend` chooses where cached results are kept, but this call has no `cache`.",
      backend.name.span,
      "Add `cache: <duration>`, such as `cache: 5min`, or remove `cache_backend`."
    ))
  }
  const onError = given.get("on_error")
  if (options.onError === "wrap" && options.fallback !== undefined && onError !== undefined) {
    ctx.report(diagnostic(
      "OptionConflict",
      "`on_error: wrap` and `fallback` cannot go together: wrap keeps the error for you to handle, a fallback replaces it.",
      onError.name.span,
      "Keep one: `fallback` for a default value, or `on_error: wrap` and handle `left` yourself."
    ))
  }
}
