/**
 * The run of one inline data node whose expression makes calls per element
 * (elementCalls.ts): a list function over a list (`map`, `filter`, `all`,
 * `any`), or any other expression evaluated once (a `match` whose arms call
 * modules with their bindings).
 *
 * First a synchronous pass evaluates the elements in order, making every
 * call that needs no fiber; when none waits, the node has its value at once
 * and nothing is forked. Otherwise the driver forks `effect`, which
 * finishes the waiting elements, at most `ELEMENT_CONCURRENCY` at a time in
 * index order, each call holding one of the engine's permits while it runs.
 *
 * The result is the one a plain loop in index order gives. The first
 * element (by index) whose outcome decides (a failure; `false` for `all`,
 * `true` for `any`) is the cut: elements after it are not needed, so none
 * of them starts a call after that and those running are interrupted,
 * while the elements before it finish, since one of them may decide first.
 */
import { Effect, Exit, Fiber } from "effect"
import type { InlineExpr } from "../../lang/dag.js"
import { forEachInlineChild } from "../../lang/inlineChildren.js"
import type { Value } from "../../lang/value.js"
import type { ErrorInfo } from "../ExecutionEvent.js"
import { DEFAULT_PRIORITY } from "../Scheduler.js"
import { CallMaker } from "./CallMaker.js"
import type { RunContext, RunServices } from "./CallMaker.js"
import { CallFailed, enterCalls, leaveCalls, NeedCall } from "./elementCalls.js"
import type { CallOutcome, ElementFrame } from "./elementCalls.js"
import { fromDefect } from "./errorInfo.js"
import { InlineFailure } from "./evaluate.js"
import { compileExpr, slotsOf } from "./listFunctions.js"
import type { Compiled } from "./listFunctions.js"
import { withPermit } from "./permit.js"

/** At most this many elements of one list function wait for calls at once (each call also takes an engine permit). */
export const ELEMENT_CONCURRENCY = 64

/** How a run ended: the node's value, or the error it fails with. */
export type RunResult = { readonly _tag: "Done"; readonly value: Value } | { readonly _tag: "Failed"; readonly error: ErrorInfo }

type Fn = "map" | "filter" | "all" | "any" | "single"
type ElementOutcome = { readonly value: Value } | { readonly error: ErrorInfo; readonly module: number | undefined }

interface CompiledRun {
  readonly list: Compiled | undefined
  readonly body: Compiled
  readonly slots: number
  /** The module nodes whose calls here have a `fallback` (it wins over `on_error`, as for a call node). */
  readonly withFallback: ReadonlySet<number>
}

const compiledRuns = new WeakMap<InlineExpr, CompiledRun>()

const compileRun = (expr: InlineExpr): CompiledRun => {
  const withFallback = new Set<number>()
  const visit = (e: InlineExpr): void => {
    if (e._tag === "Call" && e.fallback !== undefined) withFallback.add(e.module)
    forEachInlineChild(e, visit)
  }
  visit(expr)
  return expr._tag === "ListFunction"
    ? { list: compileExpr(expr.list), body: compileExpr(expr.body), slots: slotsOf(expr), withFallback }
    : { list: undefined, body: compileExpr(expr), slots: slotsOf(expr), withFallback }
}

export class ElementRun {
  /** Makes the calls, and counts them by module node (`calls.calls`). */
  readonly calls: CallMaker
  /** The module node whose call decided a failure, if one did. */
  failedModule: number | undefined
  private readonly fn: Fn
  private readonly slot: number
  private readonly body: Compiled
  private readonly slots: Array<Value>
  private readonly xs: ReadonlyArray<Value>
  /** The memo of each element that waits for a call; the others share `scratch`, emptied after each. */
  private readonly frames: Array<ElementFrame | undefined>
  private readonly scratch: ElementFrame = { memo: [], next: 0 }
  /** Each element's value, once known; the failed ones' errors in `failures`. */
  private readonly results: Array<Value>
  private readonly known: Uint8Array
  private readonly failures = new Map<number, { readonly error: ErrorInfo; readonly module: number | undefined }>()
  private readonly waiting = new Map<number, NeedCall>()
  private cut = Number.POSITIVE_INFINITY
  private listFailure: ErrorInfo | undefined

  constructor(expr: InlineExpr, private readonly ctx: RunContext, started: (module: number) => void) {
    let compiled = compiledRuns.get(expr)
    if (compiled === undefined) {
      compiled = compileRun(expr)
      compiledRuns.set(expr, compiled)
    }
    this.calls = new CallMaker(ctx, compiled.withFallback, started)
    this.fn = expr._tag === "ListFunction" ? expr.fn : "single"
    this.slot = expr._tag === "ListFunction" ? expr.slot : -1
    this.body = compiled.body
    this.slots = new Array<Value>(Math.max(compiled.slots, 0)).fill(null)
    let xs: ReadonlyArray<Value> = [null]
    if (compiled.list !== undefined) {
      try {
        xs = compiled.list(ctx.values, this.slots) as ReadonlyArray<Value>
      } catch (e) {
        xs = []
        this.listFailure = e instanceof InlineFailure ? { code: e.code, message: e.message, module: null } : this.defect(e)
      }
    }
    this.xs = xs
    this.frames = new Array(xs.length)
    this.results = new Array<Value>(xs.length)
    this.known = new Uint8Array(xs.length)
  }

  /** Evaluates every element it can without waiting: the result, or `undefined` when calls wait (run `effect`). */
  syncPass(): RunResult | undefined {
    if (this.listFailure !== undefined) return { _tag: "Failed", error: this.listFailure }
    for (let i = 0; i < this.xs.length && i <= this.cut; i++) {
      const need = this.evaluate(i)
      if (need !== undefined) this.waiting.set(i, need)
    }
    for (const i of this.waiting.keys()) if (i < this.cut) return undefined
    return this.result()
  }

  /** Finishes the elements waiting for calls; never fails. */
  effect(services: RunServices): Effect.Effect<RunResult> {
    this.calls.onStart = services.started
    const order = [...this.waiting.keys()]
    const running = new Map<number, Fiber.RuntimeFiber<CallOutcome>>()
    let next = 0
    const interruptAfterCut = Effect.suspend(() => {
      const late = [...running].filter(([i]) => i > this.cut).map(([, f]) => f)
      return late.length === 0 ? Effect.void : Effect.forEach(late, Fiber.interruptFork, { discard: true })
    })
    // One call of element i at a time. Its permit is held until the element's outcome is recorded, so a
    // permit freed by the element that decides goes to no element after it.
    const drive = (i: number, need: NeedCall): Effect.Effect<void> => {
      const step = Effect.suspend((): Effect.Effect<NeedCall | undefined> => {
        if (i > this.cut) return Effect.succeed(undefined)
        return Effect.flatMap(Effect.fork(this.calls.inFiber(need, this.fn === "single" ? undefined : i, services, (attempt, delayMs, error) =>
          services.retrying(need.module, attempt, delayMs, this.elementError(need.module, error, i)))), (fiber) => {
          running.set(i, fiber)
          return Effect.flatMap(Fiber.await(fiber), (exit) => {
            running.delete(i)
            if (Exit.isFailure(exit)) return i > this.cut ? Effect.succeed(undefined) : Effect.failCause(exit.cause)
            this.frames[i]!.memo[need.ordinal] = exit.value
            const cutBefore = this.cut
            const again = this.evaluate(i)
            return this.cut < cutBefore ? Effect.as(interruptAfterCut, again) : Effect.succeed(again)
          })
        })
      })
      const priority = this.ctx.plan.modules[need.module]!.options.priority ?? DEFAULT_PRIORITY
      return Effect.flatMap(withPermit(services.scheduler, priority, this.ctx.now, step), (again) =>
        again === undefined ? Effect.void : drive(i, again))
    }
    const worker: Effect.Effect<void> = Effect.suspend(() => {
      if (next >= order.length) return Effect.void
      const i = order[next++]!
      return i > this.cut ? Effect.void : Effect.zipRight(drive(i, this.waiting.get(i)!), worker)
    })
    const workers = Math.min(ELEMENT_CONCURRENCY, services.maxOwn, order.length)
    return Effect.as(
      Effect.all(Array.from({ length: workers }, () => worker), { concurrency: "unbounded", discard: true }),
      undefined
    ).pipe(Effect.map(() => this.result()))
  }

  // ------------------------------------------------------------ elements

  /** Evaluates element `i` (again): records its outcome, or returns the call it waits for. */
  private evaluate(i: number): NeedCall | undefined {
    const own = this.frames[i]
    const frame = own ?? this.scratch
    try {
      enterCalls(this.calls, frame)
      if (this.slot >= 0) this.slots[this.slot] = this.xs[i] as Value
      const value = this.body(this.ctx.values, this.slots)
      leaveCalls()
      this.record(i, { value })
    } catch (e) {
      leaveCalls()
      if (e instanceof NeedCall) {
        e.effect = this.calls.built
        this.calls.built = undefined
        if (own === undefined) this.frames[i] = { memo: this.scratch.memo.splice(0), next: 0 }
        return e
      }
      if (e instanceof CallFailed) this.record(i, { error: this.elementError(e.module, e.error, i), module: e.module })
      else if (e instanceof InlineFailure) this.record(i, { error: this.at({ code: e.code, message: e.message, module: null }, i), module: undefined })
      else this.record(i, { error: this.defect(e), module: undefined })
    }
    if (own === undefined && this.scratch.memo.length > 0) this.scratch.memo.length = 0
    return undefined
  }

  private record(i: number, outcome: ElementOutcome): void {
    this.known[i] = 1
    let decides: boolean
    if ("error" in outcome) {
      this.failures.set(i, outcome)
      decides = true
    } else {
      this.results[i] = outcome.value
      decides = (this.fn === "all" && outcome.value !== true) || (this.fn === "any" && outcome.value === true)
    }
    if (decides && i < this.cut) this.cut = i
  }

  /** The node's value from the elements' outcomes: every element up to the cut has one. */
  private result(): RunResult {
    if (this.cut !== Number.POSITIVE_INFINITY) {
      const failed = this.failures.get(this.cut)
      if (failed !== undefined) {
        this.failedModule = failed.module
        return { _tag: "Failed", error: failed.error }
      }
      return { _tag: "Done", value: this.fn === "any" }
    }
    const values = this.results
    switch (this.fn) {
      case "map": return { _tag: "Done", value: values }
      case "filter": return { _tag: "Done", value: this.xs.filter((_, i) => values[i] === true) }
      case "all": return { _tag: "Done", value: true }
      case "any": return { _tag: "Done", value: false }
      case "single": return { _tag: "Done", value: values[0] ?? null }
    }
  }

  /** An error of a call made for element `i`, naming the element. */
  private elementError(j: number, error: ErrorInfo, i: number): ErrorInfo {
    if (this.fn === "single" || error.element !== undefined) return error
    const module = this.ctx.plan.modules[j]!.module
    return { ...error, message: `${module} failed on element ${i} of the list (${error.message})`, element: i }
  }

  private at(error: ErrorInfo, i: number): ErrorInfo {
    return this.fn === "single" ? error : { ...error, message: `${error.message}, on element ${i} of the list`, element: i }
  }

  private defect(e: unknown): ErrorInfo {
    this.ctx.onDefect("expression", e)
    return fromDefect(null)
  }
}
