/**
 * Running one module call in its own fiber with its `with` options applied:
 * `timeout` per attempt, `retry` extra attempts separated by `delay` and
 * `backoff`. Permits are held per attempt, not during the backoff sleep.
 */
import { Cause, Clock, Duration, Effect, Exit } from "effect"
import type { ModuleOptions } from "../lang/dag.js"
import type { Value } from "../lang/value.js"
import type { RegisteredModule } from "../modules/ModuleRegistry.js"
import { ModuleError } from "../modules/ModuleError.js"
import { fromCause } from "./errorInfo.js"
import type { ErrorInfo } from "./ExecutionEvent.js"

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

const timeoutError = (module: string, ms: number): ErrorInfo => ({
  code: "timeout",
  message: `${module} did not finish within ${Duration.format(Duration.millis(ms))}`,
  module
})

export interface RunHooks {
  readonly started: () => void
  readonly retrying: (attempt: number, delayMs: number, error: ErrorInfo) => void
  /** Wraps each attempt: the concurrency permits. */
  readonly withPermits: <A, E>(attempt: Effect.Effect<A, E>) => Effect.Effect<A, E>
}

export interface ModuleOutcome {
  readonly outcome: { readonly value: Value } | { readonly error: ErrorInfo }
  readonly latencyMs: number
}

const invoke = (impl: RegisteredModule, args: ReadonlyArray<Value>): Effect.Effect<Value, unknown> => {
  const implementation = impl.implementation
  if (implementation._tag === "Effect") return Effect.suspend(() => implementation.run(args))
  return Effect.suspend(() => {
    const r = implementation.run(args)
    return r instanceof ModuleError ? Effect.fail(r) : Effect.succeed(r)
  })
}

/**
 * Runs a module call to its outcome. Never fails: failures become an
 * `ErrorInfo` outcome. Interruption propagates (the caller's scope closed).
 */
export const runModule = (
  impl: RegisteredModule,
  args: ReadonlyArray<Value>,
  options: ModuleOptions,
  hooks: RunHooks
): Effect.Effect<ModuleOutcome> =>
  Effect.gen(function*() {
    const attempts = 1 + (options.retry ?? 0)
    const name = impl.name
    let startedAt = -1
    for (let attempt = 1; ; attempt++) {
      const exit = yield* hooks.withPermits(Effect.gen(function*() {
        if (startedAt < 0) {
          startedAt = yield* Clock.currentTimeMillis
          hooks.started()
        }
        const call = invoke(impl, args)
        const timed = options.timeoutMs === undefined
          ? call
          : Effect.timeoutFail(call, {
            duration: Duration.millis(options.timeoutMs),
            onTimeout: () => timeoutError(name, options.timeoutMs as number)
          })
        return yield* Effect.exit(timed)
      }))
      if (Exit.isSuccess(exit)) {
        const latencyMs = (yield* Clock.currentTimeMillis) - startedAt
        return { outcome: { value: exit.value }, latencyMs }
      }
      if (Cause.isInterruptedOnly(exit.cause)) return yield* Effect.failCause(exit.cause as Cause.Cause<never>)
      const failure = Cause.failureOption(exit.cause)
      const error = failure._tag === "Some" && isErrorInfo(failure.value) ? failure.value : fromCause(name, exit.cause)
      if (failure._tag === "None") yield* Effect.logError(`module ${name} crashed`, exit.cause)
      if (attempt >= attempts) {
        const latencyMs = (yield* Clock.currentTimeMillis) - startedAt
        return { outcome: { error }, latencyMs }
      }
      const delayMs = retryDelay(options, attempt)
      hooks.retrying(attempt + 1, delayMs, error)
      if (delayMs > 0) yield* Effect.sleep(Duration.millis(delayMs))
    }
  })

const isErrorInfo = (u: unknown): u is ErrorInfo =>
  typeof u === "object" && u !== null && "code" in u && "message" in u && "module" in u && !(u instanceof ModuleError)
