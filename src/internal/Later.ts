/**
 * What an Effect module body's direct call (`Implementation.call`) answers
 * when its outcome is not a value known at once: the effect still to run
 * (it may suspend), or the `Exit` of a failure. A class, so the runtime
 * tells it from a result (a plain value) with one `instanceof`.
 *
 * @internal
 */
import type { Effect } from "effect"
import type { Value } from "../lang/value.js"
import type { Implementation } from "../modules/Module.js"
import type { ModuleError } from "../modules/ModuleError.js"

export class Later<R = never> {
  constructor(readonly effect: Effect.Effect<Value, unknown, R>) {}
}

/**
 * Calls an Effect module body: through its direct call when it has one
 * (`Module.make`'s), else (an implementation made by hand) its `run`, whose
 * effect comes back as a `Later`.
 *
 * @internal
 */
export const callEffectBody = <R>(
  implementation: Extract<Implementation<R>, { readonly _tag: "Effect" }>,
  args: ReadonlyArray<Value>
): Value | ModuleError | Later<R> => {
  const call = implementation.call
  return call === undefined ? new Later(implementation.run(args)) : call(args)
}
