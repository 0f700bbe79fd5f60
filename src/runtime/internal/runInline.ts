/**
 * Running an Effect on the caller's stack for as long as it does not
 * suspend, so that a module written the usual way (`Module.make` with
 * `Effect.sync`, `Effect.map`, `Effect.gen` without a wait) costs what a
 * `Module.sync` one does instead of a fiber of its own.
 *
 * It interprets the few primitives such effects are made of, exactly as
 * the fiber's run loop does (effect 3.x): `Success`, `Failure`, `Sync`,
 * `OnSuccess` (flatMap, map, zipRight…), `Commit` (suspend) and
 * `Iterator` (`Effect.gen`), and Option/Either yielded in a generator. At
 * the first other primitive (an async wait, a read of the fiber's context,
 * a failure handler, an error that captures the current span, anything
 * else) it stops and returns what remains as an Effect: that primitive
 * with the continuations not yet run, for a fiber to go on with. So an
 * effect runs the same whichever way it ends up: its synchronous prefix
 * here, its rest in the fiber it would have had anyway, which starts from
 * where this stopped.
 *
 * Like the fiber, it gives up after `MAX_OPS` steps (a fiber yields to the
 * event loop then; here the rest goes to a fiber that will).
 *
 * It reads Effect's internal representation of effects (`_op` and the
 * instruction fields), which is stable across the 3.x line; a self-check at
 * load (`supported`) turns it off if the representation is not the one it
 * knows, and everything then takes the fiber path.
 */
import { Effect, Exit } from "effect"
import { yieldWrapGet } from "effect/Utils"
import type { YieldWrap } from "effect/Utils"

/** Steps before the rest goes to a fiber: the fiber's own default budget before it yields. */
export const MAX_OPS = 2048

interface Primitive {
  readonly _op: string
  readonly effect_instruction_i0?: unknown
  readonly effect_instruction_i1?: unknown
  commit?(): unknown
  readonly value?: unknown
  readonly right?: unknown
}

type Iter = Iterator<YieldWrap<Effect.Effect<unknown, unknown>>, unknown, unknown>

/** A continuation: a flatMap's function, or a generator to resume with the value. */
type Frame = ((a: unknown) => Effect.Effect<unknown, unknown>) | Iter

const asPrimitive = (e: unknown): Primitive => e as Primitive

/** The rest of a generator from the value of its last yield on, as an Effect (for the fiber). */
const resumeIterator = (it: Iter, value: unknown): Effect.Effect<unknown, unknown> =>
  Effect.suspend(() => {
    let v = value
    while (true) {
      const state = it.next(v)
      if (state.done === true) return Effect.succeed(state.value)
      const next = yieldWrapGet(state.value)
      if (!Exit.isExit(next)) return Effect.flatMap(next, (x) => resumeIterator(it, x))
      if (Exit.isFailure(next)) return next
      v = next.value
    }
  })

const then = (effect: Effect.Effect<unknown, unknown>, frame: Frame): Effect.Effect<unknown, unknown> =>
  typeof frame === "function" ? Effect.flatMap(effect, frame) : Effect.flatMap(effect, (v) => resumeIterator(frame, v))

/** `cur` followed by the continuation `top`, then those on `stack`, innermost last. */
const rest = (cur: Effect.Effect<unknown, unknown>, top: Frame | undefined, stack: Array<Frame> | undefined): Effect.Effect<unknown, unknown> => {
  let effect = top === undefined ? cur : then(cur, top)
  if (stack === undefined) return effect
  for (let i = stack.length - 1; i >= 0; i--) effect = then(effect, stack[i]!)
  return effect
}

/** Where `stepIterator` leaves its answer (no object per step). */
let stepDone = false
let stepValue: unknown

/** `stepValue`, cleared: the module-level slot must not keep a run's value alive after it. */
const takeStep = (): unknown => {
  const v = stepValue
  stepValue = undefined
  return v
}

/**
 * Advances a generator from `value` until it ends (`stepDone`, its result in
 * `stepValue`) or yields an effect not already complete (`stepWaits`: the
 * generator is to go back on the stack, the effect is in `stepValue`).
 */
let stepWaits = false
const stepIterator = (it: Iter, value: unknown): void => {
  stepWaits = false
  let v = value
  while (true) {
    let next: Effect.Effect<unknown, unknown>
    try {
      const state = it.next(v)
      if (state.done === true) {
        stepDone = true
        stepValue = state.value
        return
      }
      // A value yielded without `yield*` is not wrapped: a defect, as in the fiber.
      next = yieldWrapGet(state.value)
    } catch (defect) {
      stepDone = false
      stepValue = Effect.die(defect)
      return
    }
    if (!Exit.isExit(next)) {
      stepWaits = true
      stepDone = false
      stepValue = next
      return
    }
    if (Exit.isFailure(next)) {
      stepDone = false
      stepValue = next
      return
    }
    v = next.value
  }
}

/**
 * Runs `effect` until it ends or reaches a primitive only a fiber can run.
 * Returns its Exit, or the Effect that remains to be run by a fiber.
 */
export const runInline = <A, E>(effect: Effect.Effect<A, E>): Exit.Exit<A, E> | Effect.Effect<A, E> => {
  if (!supported) return effect
  // The innermost continuation, then the others (made at the second: most module effects are one Sync, or one flatMap deep).
  let top: Frame | undefined
  let stack: Array<Frame> | undefined
  let cur: unknown = effect
  // A value to hand to the continuation on top of the stack (after a Success, a Sync, a finished generator).
  let value: unknown
  let hasValue = false
  for (let ops = 0; ops < MAX_OPS; ops++) {
    if (hasValue) {
      hasValue = false
      const frame = top
      if (frame === undefined) return Exit.succeed(value as A)
      top = stack !== undefined && stack.length > 0 ? stack.pop() : undefined
      if (typeof frame === "function") {
        try {
          cur = frame(value)
        } catch (defect) {
          cur = Effect.die(defect)
        }
        continue
      }
      // A generator resumed with the value of its yield.
      stepIterator(frame, value)
      if (stepWaits) {
        if (top !== undefined) (stack ??= []).push(top)
        top = frame
      }
      if (stepDone) {
        value = takeStep()
        hasValue = true
      } else cur = takeStep()
      continue
    }
    const op = asPrimitive(cur)
    switch (op._op) {
      case "Success":
        // The last step: it is the Exit (`Effect.succeed` is `Exit.succeed`).
        if (top === undefined) return cur as Exit.Exit<A, E>
        value = op.effect_instruction_i0
        hasValue = true
        continue
      case "Failure":
        // Only success continuations are on the stack: the failure ends the effect.
        return cur as Exit.Exit<A, E>
      case "Sync":
        try {
          value = (op.effect_instruction_i0 as () => unknown)()
          hasValue = true
        } catch (defect) {
          cur = Effect.die(defect)
        }
        continue
      case "OnSuccess":
        if (top !== undefined) (stack ??= []).push(top)
        top = op.effect_instruction_i1 as (a: unknown) => Effect.Effect<unknown, unknown>
        cur = op.effect_instruction_i0
        continue
      case "Commit":
        try {
          cur = op.commit!()
        } catch (defect) {
          cur = Effect.die(defect)
        }
        continue
      case "Iterator": {
        const it = op.effect_instruction_i0 as Iter
        stepIterator(it, undefined)
        if (stepWaits) {
          if (top !== undefined) (stack ??= []).push(top)
          top = it
        }
        if (stepDone) {
          value = takeStep()
          hasValue = true
        } else cur = takeStep()
        continue
      }
      case "Some":
      case "Right":
        value = op._op === "Some" ? op.value : op.right
        hasValue = true
        continue
      default:
        return rest(cur as Effect.Effect<unknown, unknown>, top, stack) as Effect.Effect<A, E>
    }
  }
  return rest(hasValue ? Effect.succeed(value) : cur as Effect.Effect<unknown, unknown>, top, stack) as Effect.Effect<A, E>
}

/** Whether effects are built the way this interpreter reads them (checked once, at load). */
const supported: boolean = (() => {
  try {
    const thunk = () => 1
    const sync = asPrimitive(Effect.sync(thunk))
    const mapped = asPrimitive(Effect.flatMap(Effect.sync(thunk), Effect.succeed))
    const suspended = asPrimitive(Effect.suspend(() => Effect.succeed(1)))
    const gen = asPrimitive(Effect.gen(function*() {
      return yield* Effect.succeed(1)
    }))
    return sync._op === "Sync" && sync.effect_instruction_i0 === thunk &&
      mapped._op === "OnSuccess" && asPrimitive(mapped.effect_instruction_i0)._op === "Sync" &&
      typeof mapped.effect_instruction_i1 === "function" &&
      suspended._op === "Commit" && typeof suspended.commit === "function" &&
      gen._op === "Commit" && asPrimitive(Effect.succeed(1))._op === "Success"
  } catch {
    return false
  }
})()

/** Whether what `runInline` returned is the effect's end (else the rest to run in a fiber). */
export const isDone = <A, E>(r: Exit.Exit<A, E> | Effect.Effect<A, E>): r is Exit.Exit<A, E> => Exit.isExit(r)

/** Whether the inline path is on (the self-check passed). */
export const inlineSupported = (): boolean => supported
