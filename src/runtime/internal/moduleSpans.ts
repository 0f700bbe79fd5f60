/**
 * A tracing span per module attempt, made with Effect's own `withSpan`
 * (the runtime knows no exporter), and only for executions that run under
 * a span: an untraced execution makes none. Pure modules computed inline
 * (`Module.sync`, effects already complete) get no span: only attempts
 * that run in a fiber do, calls made per element among them (with
 * `constellation.module.element`).
 */
import { Context, Effect, Exit, Tracer } from "effect"
import type { Runtime } from "effect"
import type { Value } from "../../lang/value.js"
import { errorOf } from "./moduleRun.js"

/** How an attempt ended, as the span's `constellation.module.outcome`. */
export type AttemptOutcome = "succeeded" | "failed" | "timed_out" | "interrupted"

/** Where an attempt sits: the module's node, the attempt number, whether it is the last one allowed. */
export interface AttemptSpot {
  readonly node: number
  readonly attempt: number
  readonly last: boolean
  /** The module has a `fallback`: its last failure is replaced by the fallback's value. */
  readonly fallback: boolean
  /** For a call made per element: the element's index. */
  readonly element?: number
}

/** True when effects run with `runtime` are under a span: the execution is traced. */
export const isTraced = (runtime: Runtime.Runtime<never>): boolean =>
  Context.getOption(runtime.context, Tracer.ParentSpan)._tag === "Some"

const outcomeOf = (module: string, exit: Exit.Exit<Value, unknown>): AttemptOutcome => {
  if (Exit.isSuccess(exit)) return "succeeded"
  if (Exit.isInterrupted(exit)) return "interrupted"
  return errorOf(module, exit.cause).code === "timeout" ? "timed_out" : "failed"
}

/** `attempt` in a span named `module <name>`: the module, its node, the attempt number, then the outcome. */
export const traceAttempt = (
  attempt: Effect.Effect<Value, unknown>,
  module: string,
  spot: AttemptSpot
): Effect.Effect<Value, unknown> =>
  Effect.withSpan(
    Effect.onExit(attempt, (exit) => {
      const outcome = outcomeOf(module, exit)
      const fellBack = spot.last && spot.fallback && (outcome === "failed" || outcome === "timed_out")
      return Effect.annotateCurrentSpan(
        fellBack
          ? { "constellation.module.outcome": outcome, "constellation.module.fallback": true }
          : { "constellation.module.outcome": outcome }
      )
    }),
    `module ${module}`,
    {
      kind: "internal",
      // A stack trace per span (Effect's default) would cost more than the span, and point here.
      captureStackTrace: false,
      attributes: {
        "constellation.module.name": module,
        "constellation.module.node": spot.node,
        "constellation.module.attempt": spot.attempt,
        ...(spot.element === undefined ? {} : { "constellation.module.element": spot.element })
      }
    }
  )
