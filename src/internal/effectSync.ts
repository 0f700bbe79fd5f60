/**
 * The function of an `Effect.sync(f)`, so that a caller that only needs its
 * value (a module written `run: (args) => Effect.sync(() => ...)`) can call
 * it without interpreting an effect.
 *
 * It reads Effect 3's representation of effects (the primitive's `_op` is
 * `"Sync"` and its function is `effect_instruction_i0`), stable across the
 * 3.x line; a self-check at load turns it off (every answer `undefined`) if
 * effects are built otherwise, and callers then take their general path.
 */
import { Effect } from "effect"

interface Primitive {
  readonly _op?: unknown
  readonly effect_instruction_i0?: unknown
}

const supported: boolean = (() => {
  try {
    const thunk = () => 1
    const sync = Effect.sync(thunk) as unknown as Primitive
    const other = Effect.suspend(() => Effect.sync(thunk)) as unknown as Primitive
    return sync._op === "Sync" && sync.effect_instruction_i0 === thunk && other._op !== "Sync"
  } catch {
    return false
  }
})()

/** `f` when `effect` is `Effect.sync(f)`, else undefined. */
export const syncThunkOf = (effect: unknown): (() => unknown) | undefined => {
  if (!supported || typeof effect !== "object" || effect === null) return undefined
  const p = effect as Primitive
  return p._op === "Sync" && typeof p.effect_instruction_i0 === "function" ? p.effect_instruction_i0 as () => unknown : undefined
}
