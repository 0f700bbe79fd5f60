/**
 * The options that change where and when a call runs (`cache`, `throttle`,
 * `concurrency`, `on_error`, `lazy`, `priority`), copied from the checked
 * call into its module node; and all of a call's options but `fallback`.
 */
import type { CallOptions } from "./checker/CheckedProgram.js"
import type { CallInfo } from "./checker/CheckedProgram.js"
import type { ModuleOptions } from "./dag.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Copies the options `from` has into `to`, leaving out those not given (so the DAG and its hash stay as before). */
export const copyRunOptions = (from: CallOptions, to: Mutable<ModuleOptions>): void => {
  if (from.cacheMs !== undefined) to.cacheMs = from.cacheMs
  if (from.throttle !== undefined) to.throttle = { count: from.throttle.count, perMs: from.throttle.perMs }
  if (from.concurrency !== undefined) to.concurrency = from.concurrency
  if (from.onError !== undefined) to.onError = from.onError
  if (from.lazy === true) to.lazy = true
  if (from.priority !== undefined) to.priority = from.priority
}

/** A call's options in milliseconds, but its `fallback` (a data node, or an expression when the call is made per element). */
export const callOptions = (info: CallInfo): Mutable<ModuleOptions> => {
  const options: Mutable<ModuleOptions> = {}
  const { timeoutMs, retry, delayMs, backoff, maxDelayMs } = info.options
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs
  if (retry !== undefined) options.retry = retry
  if (delayMs !== undefined) options.delayMs = delayMs
  if (backoff !== undefined) options.backoff = backoff
  if (maxDelayMs !== undefined) options.maxDelayMs = maxDelayMs
  copyRunOptions(info.options, options)
  return options
}
