/**
 * The values of the `with` options that change where and when a call runs
 * rather than how it is retried: `cache`, `cache_backend`, `throttle`,
 * `concurrency`, `on_error`, `lazy` and `priority`. Each returns the
 * normalised value, or reports E404 (InvalidOptionValue) and returns
 * `undefined`.
 */
import type { CallOption } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import { onErrorStrategies, zeroValue } from "../onError.js"
import type { OnErrorStrategy } from "../onError.js"
import { printType } from "../types.js"
import type { Type } from "../types.js"
import type { CheckContext } from "./context.js"
import { didYouMean } from "./suggest.js"

/** The named priority levels and their numbers (higher runs first). */
export const priorityLevels: ReadonlyMap<string, number> = new Map([
  ["critical", 100],
  ["high", 80],
  ["normal", 50],
  ["low", 20],
  ["background", 0]
])

/** The cache backends this engine has: only the in-memory one. */
export const cacheBackends = ["memory"] as const

export const valueSpan = (option: CallOption) =>
  option._tag === "ExprOption" ? option.value.span : option._tag === "FlagOption" ? option.span : option.valueSpan

export const invalid = (ctx: CheckContext, option: CallOption, message: string, hint?: string): undefined => {
  ctx.report(diagnostic("InvalidOptionValue", message, valueSpan(option), hint))
  return undefined
}

/** The word an option's value spells, whether read as a word or as a variable name. */
export const wordOf = (option: CallOption): string | undefined =>
  option._tag === "WordOption"
    ? option.word
    : option._tag === "ExprOption" && option.value._tag === "Variable"
    ? option.value.name
    : undefined

/** A positive, finite duration in milliseconds. */
export const positiveDuration = (ctx: CheckContext, option: CallOption, name: string): number | undefined => {
  if (option._tag === "DurationOption" && option.millis > 0 && Number.isFinite(option.millis)) return option.millis
  return invalid(
    ctx,
    option,
    `\`${name}\` needs a positive duration, such as \`500ms\`, \`2s\`, \`1min\`, \`1h\` or \`1d\`.`,
    option._tag === "IntOption" ? `add a unit: \`${option.value}ms\` or \`${option.value}s\`` : undefined
  )
}

/** `cache_backend: "memory"`: the only backend there is; its name is checked and nothing is kept. */
export const checkCacheBackend = (ctx: CheckContext, option: CallOption): void => {
  const name = option._tag === "ExprOption" && option.value._tag === "StringLiteral" && option.value.parts.length === 1 &&
      option.value.parts[0]!._tag === "Text"
    ? option.value.parts[0]!.value
    : wordOf(option)
  if (name === undefined) {
    invalid(ctx, option, "`cache_backend` needs a backend's name in quotes, such as `cache_backend: \"memory\"`.")
  } else if (!(cacheBackends as ReadonlyArray<string>).includes(name)) {
    invalid(
      ctx,
      option,
      `There is no cache backend \`${name}\`: this engine has only the in-memory backend, \`"memory"\`.`,
      "Remove `cache_backend` (the in-memory cache is the default) or write `cache_backend: \"memory\"`."
    )
  }
}

/** `throttle: N/duration`: N calls, 1 or more, per positive duration. */
export const checkThrottle = (ctx: CheckContext, option: CallOption): { count: number; perMs: number } | undefined => {
  if (option._tag === "RateOption" && Number.isSafeInteger(option.count) && option.count >= 1 && option.perMillis > 0) {
    return { count: option.count, perMs: option.perMillis }
  }
  return invalid(ctx, option, "`throttle` needs a rate, a whole number of calls (1 or more) per duration, such as `throttle: 100/1min` or `throttle: 10/1s`.")
}

/** `concurrency: N`, N a whole number, 1 or more. */
export const checkConcurrency = (ctx: CheckContext, option: CallOption): number | undefined => {
  if (option._tag === "IntOption" && Number.isSafeInteger(option.value) && option.value >= 1) return option.value
  return invalid(ctx, option, "`concurrency` needs a whole number of calls at once, 1 or more, such as `concurrency: 4`.")
}

/** `lazy` or `lazy: true|false`. */
export const checkLazy = (ctx: CheckContext, option: CallOption): boolean | undefined => {
  if (option._tag === "FlagOption") return true
  const word = wordOf(option)
  if (option._tag === "ExprOption" && option.value._tag === "BooleanLiteral") return option.value.value
  if (word === "true" || word === "false") return word === "true"
  return invalid(ctx, option, "`lazy` is written alone (`with lazy`) or with `true` or `false`.")
}

/** `priority: critical | high | normal | low | background | 0..100`. */
export const checkPriority = (ctx: CheckContext, option: CallOption): number | undefined => {
  if (option._tag === "IntOption") {
    if (option.value >= 0 && option.value <= 100) return option.value
    return invalid(ctx, option, `A numeric priority is a whole number from 0 (background) to 100 (critical), not ${option.value}.`)
  }
  const word = wordOf(option)
  const level = word === undefined ? undefined : priorityLevels.get(word)
  if (level !== undefined) return level
  return invalid(
    ctx,
    option,
    "`priority` is one of critical, high, normal, low, background, or a whole number from 0 to 100.",
    word === undefined ? undefined : didYouMean(word, [...priorityLevels.keys()])
  )
}

/** `on_error: propagate | skip | log | wrap`; `skip` and `log` need a result type with a zero value. */
export const checkOnError = (ctx: CheckContext, option: CallOption, resultType: Type): OnErrorStrategy | undefined => {
  const word = wordOf(option)
  const strategy = onErrorStrategies.find((s) => s === word)
  if (strategy === undefined) {
    return invalid(ctx, option, `\`on_error\` is one of ${onErrorStrategies.join(", ")}.`, word === undefined ? undefined : didYouMean(word, onErrorStrategies))
  }
  if ((strategy === "skip" || strategy === "log") && zeroValue(resultType) === undefined) {
    return invalid(
      ctx,
      option,
      `\`on_error: ${strategy}\` uses the zero value of the call's type, and ${printType(resultType)} has none.`,
      "Give a `fallback` value instead, or use `on_error: wrap`."
    )
  }
  return strategy
}
