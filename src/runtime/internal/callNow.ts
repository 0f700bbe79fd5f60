/**
 * Calling a module body on the spot, as the engine does whenever it can: a
 * `Module.sync` body, or an Effect body that is already complete
 * (`Effect.succeed`, `Effect.fail`), gives its outcome with no fiber; any
 * other Effect comes back to be run in a fiber.
 */
import { Cause, Exit } from "effect"
import type { Effect } from "effect"
import type { Value } from "../../lang/value.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import { ModuleError } from "../../modules/ModuleError.js"
import { callEffectBody, Later } from "../../internal/Later.js"
import type { ErrorInfo } from "../ExecutionEvent.js"
import { fromCause, fromDefect, fromFailure } from "./errorInfo.js"

/** A body's outcome, or the effect it built when it may suspend. */
export type NowOrLater =
  | { readonly value: Value }
  | { readonly error: ErrorInfo }
  | { readonly later: Effect.Effect<Value, unknown> }

/** Calls `impl` with `args`; a crash (a throw, a defect) is reported to `onDefect` and becomes `module_defect`. */
export const callNow = (
  impl: RegisteredModule,
  module: string,
  args: ReadonlyArray<Value>,
  onDefect: (where: string, defect: unknown) => void
): NowOrLater => {
  const implementation = impl.implementation
  try {
    // An Effect body's result known at once comes with no `Exit` around it (`Module.make`'s direct call).
    const r = implementation._tag === "Sync" ? implementation.run(args) : callEffectBody(implementation, args)
    if (!(r instanceof Later)) return r instanceof ModuleError ? { error: fromFailure(module, r) } : { value: r }
    const effect = r.effect as Effect.Effect<Value, unknown>
    if (!Exit.isExit(effect)) return { later: effect }
    return outcomeOfExit(module, effect as Exit.Exit<Value, unknown>, onDefect)
  } catch (defect) {
    onDefect(module, defect)
    return { error: fromDefect(module) }
  }
}

/** The outcome of a body's exit; a defect is reported to `onDefect`. */
export const outcomeOfExit = (
  module: string,
  exit: Exit.Exit<Value, unknown>,
  onDefect: (where: string, defect: unknown) => void
): { readonly value: Value } | { readonly error: ErrorInfo } => {
  if (Exit.isSuccess(exit)) return { value: exit.value }
  return { error: errorOfExit(module, exit, onDefect) }
}

/** The error of a failed body's exit; a defect is reported to `onDefect`. */
export const errorOfExit = (
  module: string,
  exit: Exit.Failure<Value, unknown>,
  onDefect: (where: string, defect: unknown) => void
): ErrorInfo => {
  if (Cause.failureOption(exit.cause)._tag === "None") onDefect(module, exit.cause)
  return fromCause(module, exit.cause)
}
