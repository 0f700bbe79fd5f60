/**
 * The `execution` span: under the request's span (the parent is passed
 * explicitly, since streamed executions run in fibers of the service, not
 * of the request), with the execution's id, mode and outputs, and its
 * status once it ends. Without a parent (tracing off) nothing is made.
 */
import { Effect, Exit, Option, Tracer } from "effect"
import type { Mode } from "../ops/Metrics.js"

/** The span to put executions under: the request's, when it is traced. */
export const parentSpan: Effect.Effect<Option.Option<Tracer.AnySpan>> = Effect.serviceOption(Tracer.ParentSpan)

/** What the span says from the start. */
export interface ExecutionSpanInfo {
  readonly executionId: string | undefined
  readonly mode: Mode
  readonly outputs: ReadonlyArray<string> | undefined
}

/**
 * Runs `effect` in an `execution` span under `parent`, annotated at the end
 * with the status `statusOf` reads from its exit (and `idOf`, when the id is
 * known only then); `effect` unchanged when `parent` is none.
 */
export const withExecutionSpan = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  parent: Option.Option<Tracer.AnySpan>,
  info: ExecutionSpanInfo,
  statusOf: (exit: Exit.Exit<A, E>) => string,
  late: (a: A) => Partial<ExecutionSpanInfo> = () => ({})
): Effect.Effect<A, E, R> => {
  if (Option.isNone(parent)) return effect
  return Effect.withSpan(
    Effect.onExit(effect, (exit) =>
      Effect.annotateCurrentSpan({
        ...attributes(Exit.isSuccess(exit) ? late(exit.value) : {}),
        "constellation.execution.status": statusOf(exit)
      })),
    "execution",
    { parent: parent.value, kind: "internal", captureStackTrace: false, attributes: attributes(info) }
  )
}

const attributes = (info: Partial<ExecutionSpanInfo>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  if (info.executionId !== undefined) out["constellation.execution.id"] = info.executionId
  if (info.mode !== undefined) out["constellation.execution.mode"] = info.mode
  // Output names are identifiers: a comma-separated list reads the same in
  // every tracing tool (the Effect bridge would send an array as JSON text).
  if (info.outputs !== undefined) out["constellation.execution.outputs"] = info.outputs.join(",")
  return out
}
