/**
 * Running a module call with its `with` options applied: `timeout` per
 * attempt, `retry` extra attempts separated by `delay` and `backoff`; each
 * attempt first waits for its `throttle` token, then for a `concurrency`
 * slot (the timeout counts from then).
 */
import { Cause, Duration, Effect } from "effect"
import type { ModuleNode, ModuleOptions } from "../../lang/dag.js"
import type { Value } from "../../lang/value.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import { ModuleError } from "../../modules/ModuleError.js"
import { fromCause } from "./errorInfo.js"
import type { ErrorInfo } from "../ExecutionEvent.js"
import type { CallLimitsShape } from "../CallLimits.js"

export type Outcome = { readonly value: Value } | { readonly error: ErrorInfo }

/** The delay before retry number `retry` (1 for the first retry). */
export const retryDelay = (options: ModuleOptions, retry: number): number => {
  const base = options.delayMs ?? 0
  let d: number
  switch (options.backoff ?? "fixed") {
    case "fixed": d = base; break
    case "linear": d = base * retry; break
    case "exponential":
    case "capped": d = base * 2 ** (retry - 1); break
  }
  const cap = options.maxDelayMs ?? (options.backoff === "capped" ? 30_000 : Number.POSITIVE_INFINITY)
  return Math.min(d, cap)
}

/** A failure the attempt loop itself produced (a timeout), already in its final form. */
class AttemptError {
  readonly _tag = "AttemptError"
  constructor(readonly info: ErrorInfo) {}
}

/** The error info of a module's failed exit. */
export const errorOf = (module: string, cause: Cause.Cause<unknown>): ErrorInfo => {
  const failure = Cause.failureOption(cause)
  return failure._tag === "Some" && failure.value instanceof AttemptError ? failure.value.info : fromCause(module, cause)
}

const invoke = (impl: RegisteredModule, args: ReadonlyArray<Value>): Effect.Effect<Value, unknown> => {
  const implementation = impl.implementation
  if (implementation._tag === "Effect") return Effect.suspend(() => implementation.run(args))
  return Effect.suspend(() => {
    const r = implementation.run(args)
    return r instanceof ModuleError ? Effect.fail(r) : Effect.succeed(r)
  })
}

export interface RunHooks {
  readonly retrying: (attempt: number, delayMs: number, error: ErrorInfo) => void
  /** Wraps each attempt (number `attempt`, `last` when no retry may follow): a tracing span. */
  readonly around?: (attempt: Effect.Effect<Value, unknown>, n: number, last: boolean) => Effect.Effect<Value, unknown>
  /** The engine's throttles and concurrency limits, for calls `with throttle` or `with concurrency`. */
  readonly limits?: CallLimitsShape | undefined
}

/** An attempt behind the call's throttle and concurrency limit, when it has them. */
const limited = (attempt: Effect.Effect<Value, unknown>, module: string, options: ModuleOptions, limits: CallLimitsShape | undefined) => {
  if (limits === undefined) return attempt
  const slotted = options.concurrency === undefined ? attempt : limits.withSlot(module, options.concurrency, attempt)
  const throttle = options.throttle
  return throttle === undefined ? slotted : Effect.zipRight(limits.throttle(module, throttle.count, throttle.perMs), slotted)
}

/**
 * Runs a module call through its attempts. Fails with the last attempt's
 * failure; interruption propagates (the execution's scope closed).
 */
export const runModule = (
  impl: RegisteredModule,
  values: ReadonlyArray<Value | undefined>,
  node: ModuleNode,
  hooks: RunHooks
): Effect.Effect<Value, unknown> => runModuleWith(impl, node.args.map((a) => values[a.data] as Value), node, hooks)

/** `runModule` with its argument values given (a call made per element has no argument nodes). */
export const runModuleWith = (
  impl: RegisteredModule,
  args: ReadonlyArray<Value>,
  node: ModuleNode,
  hooks: RunHooks
): Effect.Effect<Value, unknown> => {
  const options = node.options
  const attempts = 1 + (options.retry ?? 0)
  const timeoutMs = options.timeoutMs
  const timed: Effect.Effect<Value, unknown> = timeoutMs === undefined
    ? invoke(impl, args)
    : Effect.timeoutFail(invoke(impl, args), {
      duration: Duration.millis(timeoutMs),
      onTimeout: () =>
        new AttemptError({
          code: "timeout",
          message: `${impl.name} did not finish within ${Duration.format(Duration.millis(timeoutMs))}`,
          module: impl.name
        })
    })
  const attemptOnce = limited(timed, impl.name, options, hooks.limits)
  const around = hooks.around
  const loop = (attempt: number): Effect.Effect<Value, unknown> =>
    Effect.catchAllCause(around === undefined ? attemptOnce : around(attemptOnce, attempt, attempt >= attempts), (cause) => {
      if (Cause.isInterruptedOnly(cause) || attempt >= attempts) return Effect.failCause(cause)
      const delayMs = retryDelay(options, attempt)
      hooks.retrying(attempt + 1, delayMs, errorOf(impl.name, cause))
      const next = loop(attempt + 1)
      return delayMs > 0 ? Effect.zipRight(Effect.sleep(Duration.millis(delayMs)), next) : next
    })
  return loop(1)
}

