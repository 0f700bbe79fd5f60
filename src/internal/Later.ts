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

export class Later<R = never> {
  constructor(readonly effect: Effect.Effect<Value, unknown, R>) {}
}
