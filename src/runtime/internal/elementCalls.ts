/**
 * Module calls made per element: a `Call` expression inside a lambda (or a
 * `match` arm) that reads the lambda's parameter (or the arm's bindings).
 *
 * An element's value is computed by evaluating its body synchronously. Each
 * call the evaluation reaches gets an ordinal (0, 1, ... in evaluation
 * order) and its outcome is kept in the element's memo: a call the engine
 * can make at once (a `Module.sync` module, a cache hit, an Effect already
 * complete) is made inline; any other stops the evaluation with `NeedCall`,
 * the runner (ElementRun.ts) makes it in a fiber, stores its outcome and
 * evaluates the element again, which replays the memo up to that call and
 * goes on. Evaluation is deterministic, so a replay reaches the same calls
 * in the same order; a call not reached (an untaken branch, the right of a
 * false `and`) is never made.
 */
import type { Effect } from "effect"
import type { Value } from "../../lang/value.js"
import type { ErrorInfo } from "../ExecutionEvent.js"

/** What one call gave: its value (already what `on_error: wrap` makes of it) or its error. */
export type CallOutcome = { readonly value: Value } | { readonly error: ErrorInfo }

/** Thrown when the evaluation reaches a call that must run in a fiber: its ordinal, module node and argument values. */
export class NeedCall {
  readonly _tag = "NeedCall"
  /** The module's effect when `tryNow` built it already (a module body is built once per call). */
  effect: Effect.Effect<Value, unknown> | undefined
  constructor(readonly ordinal: number, readonly module: number, readonly args: ReadonlyArray<Value>) {}
}

/** Thrown when a call failed and nothing stands for it (no `fallback`, no `on_error`): the element fails. */
export class CallFailed {
  readonly _tag = "CallFailed"
  constructor(readonly module: number, readonly error: ErrorInfo) {}
}

/** How calls are made while an element is evaluated. */
export interface CallEnv {
  /**
   * Makes the call now if it can be made without waiting, else returns
   * `undefined`. A failure that `on_error` replaces comes back as a value.
   */
  readonly tryNow: (module: number, args: ReadonlyArray<Value>) => CallOutcome | undefined
}

/** The element being evaluated: its memo of outcomes by ordinal, and the next ordinal. */
export interface ElementFrame {
  readonly memo: Array<CallOutcome>
  next: number
}

let env: CallEnv | undefined
let frame: ElementFrame | undefined

/**
 * Makes `e` and `f` the environment and frame of the calls an evaluation
 * reaches, until `leaveCalls`. Evaluation is synchronous and never nests
 * another, so one pair at a time is enough.
 */
export const enterCalls = (e: CallEnv, f: ElementFrame): void => {
  env = e
  frame = f
  f.next = 0
}

/** Ends what `enterCalls` began (in a `finally`: a thrown signal must not leave a stale frame behind). */
export const leaveCalls = (): void => {
  env = undefined
  frame = undefined
}

/**
 * The value of call `module` with argument values `args`, at the current
 * point of the element's evaluation. `fallback` computes the call's
 * `fallback` value, when it has one.
 * @throws NeedCall when the call must run in a fiber first
 * @throws CallFailed when it failed and nothing stands for it
 */
export const callValue = (module: number, args: ReadonlyArray<Value>, fallback: (() => Value) | undefined): Value => {
  if (env === undefined || frame === undefined) throw new Error("a per-element call evaluated outside its runner")
  const ordinal = frame.next++
  let outcome = frame.memo[ordinal]
  if (outcome === undefined) {
    outcome = env.tryNow(module, args)
    if (outcome === undefined) throw new NeedCall(ordinal, module, args)
    frame.memo[ordinal] = outcome
  }
  if ("value" in outcome) return outcome.value
  if (fallback !== undefined) return fallback()
  throw new CallFailed(module, outcome.error)
}
