/**
 * The bookkeeping of one execution: its dataflow (DataflowState.ts) and the
 * running of what becomes ready: modules (a `Module.sync` body or an effect
 * that completes at once, on this stack; the rest handed to the driver for
 * a fiber), inline expressions, and expressions that call modules per
 * element (ElementRun.ts). Plain, synchronous code: the driver (Driver.ts)
 * calls it and publishes the events it collects; nothing here suspends.
 */
import type { Value } from "../../lang/value.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import { Exit } from "effect"
import type { Effect } from "effect"
import { evaluate, InlineFailure } from "./evaluate.js"
import { NeedValue } from "./demand.js"
import { failureValue, successValue } from "./callOutcome.js"
import { argKey } from "../ModuleCache.js"
import { fromDefect, fromFailure } from "./errorInfo.js"
import { ModuleError } from "../../modules/ModuleError.js"
import { callEffectBody, Later } from "../../internal/Later.js"
import { errorOfExit } from "./callNow.js"
import type { ErrorInfo } from "../ExecutionEvent.js"
import type { Plan } from "./Plan.js"
import { ElementRun } from "./ElementRun.js"
import type { RunResult } from "./ElementRun.js"
import type { RunServices } from "./CallMaker.js"
import { DataflowState, DONE, FAILED, FINISHED, PENDING, RUNNING, STARTED, WAITING } from "./DataflowState.js"
import type { StateContext } from "./DataflowState.js"
import type { EffectImplementation, Implementation, Resolved, SyncImplementation } from "./resolvedModules.js"

export { STARTED }
export type { StateContext }

/** What a sync body's crash stands for in `runSync`, before it becomes its `module_defect` error. */
const DEFECT = new ModuleError({ code: "module_defect", message: "" })


/**
 * What demanding a plan's outputs at the start gives (the demanded nodes,
 * the work ready at once): a function of the plan alone, since nothing has
 * a value yet, so it is walked once per plan and copied after.
 */
const initialDemand = new WeakMap<Plan, { readonly demanded: Uint8Array; readonly ready: Int32Array }>()

export class ExecutionState extends DataflowState {
  private readonly pending = new Map<number, Effect.Effect<Value, unknown>>()
  private readonly startedAt: Float64Array
  /** The argument arrays lent to bodies that borrow them, by arity (`argsOf`). */
  private readonly argArrays: Array<Array<Value> | undefined> = []
  /** Effect modules ready to run in a fiber of their own. */
  toFork: Array<number> = []
  /** Inline nodes whose calls per element wait for fibers: the driver forks `elementEffect(d)` for each. */
  toRunInline: Array<number> = []
  /** The runs of those nodes, by data node. */
  private runs: Map<number, ElementRun> | undefined
  /** Module fibers forked and not yet finished. */
  inFlight = 0

  /** The implementation of each module node, or undefined when the registry lacks it. */
  private readonly impls: ReadonlyArray<RegisteredModule | undefined>
  /** Whether each module node must run in a fiber whatever its implementation (options that time out or retry). */
  private readonly forked: ReadonlyArray<boolean>
  /** The implementations to call on the spot with no other look (resolvedModules.ts). */
  private readonly direct: ReadonlyArray<Implementation | undefined>

  constructor(plan: Plan, resolved: Resolved, ctx: StateContext) {
    super(plan, ctx)
    this.impls = resolved.impls
    this.forked = resolved.forked
    this.direct = resolved.direct
    this.startedAt = new Float64Array(plan.modules.length)
  }

  /** Gives the inputs their values and runs everything that is ready. */
  start(inputs: Readonly<Record<string, Value>>): void {
    this.now = this.ctx.now()
    const known = initialDemand.get(this.plan)
    if (known === undefined) {
      for (const o of this.plan.dag.outputs) this.demand(o.data)
      initialDemand.set(this.plan, { demanded: this.demanded.slice(), ready: this.ready.toArray() })
    } else {
      this.demanded.set(known.demanded)
      for (let i = 0; i < known.ready.length; i++) this.ready.push(known.ready[i]!)
    }
    for (const b of this.plan.dag.inputs) this.resolve(b.data, inputs[b.name] ?? null, false)
    this.process()
  }

  /** Modules that became ready for a fiber; the driver launches them as permits allow and counts them in flight. */
  takeToFork(): Array<number> {
    const out = this.toFork
    this.toFork = []
    return out
  }

  /** A forked module's body begins (it holds its permits). */
  moduleStarted(j: number): void {
    this.now = this.ctx.now()
    this.startedAt[j] = this.now
    if (this.ctx.progress && !this.finished) {
      this.push({ _tag: "ModuleStarted", ...this.moduleBase(j) })
    }
  }

  moduleRetrying(j: number, attempt: number, delayMs: number, error: ErrorInfo): void {
    this.now = this.ctx.now()
    if (this.ctx.progress && !this.finished) {
      this.push({ _tag: "ModuleRetrying", ...this.moduleBase(j), attempt, delayMs, error })
    }
  }

  /** A forked module finished: `value` on success, else `error`. */
  moduleFinished(j: number, outcome: { readonly value: Value } | { readonly error: ErrorInfo }): void {
    this.inFlight--
    this.now = this.ctx.now()
    this.finishModule(j, outcome, this.now - (this.startedAt[j] ?? 0))
    this.process()
  }

  /** Runs ready work until none is left. */
  process(): void {
    const ready = this.ready
    while (ready.size > 0 && !this.finished) {
      const item = ready.shift()
      if (item >= 0) this.runModule(item)
      else this.evalInline(~item)
    }
    ready.clear()
  }

  private runModule(j: number): void {
    if (this.moduleState[j] !== WAITING) return
    this.moduleState[j] = RUNNING
    const direct = this.direct[j]
    if (direct !== undefined) return direct._tag === "Sync" ? this.runSync(j, direct) : this.runEffect(j, direct)
    const node = this.plan.modules[j]!
    const impl = this.impls[j]
    if (impl === undefined) {
      const error = { code: "unknown_module", message: `module ${node.module} is not registered in this engine`, module: node.module }
      return this.finishModule(j, { error }, 0)
    }
    if (node.options.cacheMs !== undefined && this.ctx.cache !== undefined) {
      const hit = this.ctx.cache.get(this.keyOf(j), this.now)
      if (hit !== undefined) {
        if (this.ctx.progress) this.push({ _tag: "ModuleStarted", ...this.moduleBase(j) })
        return this.finishModule(j, { value: hit }, 0, true)
      }
    }
    if (this.forked[j] === true) {
      this.toFork.push(j)
      return
    }
    const implementation = impl.implementation
    return implementation._tag === "Sync" ? this.runSync(j, implementation) : this.runEffect(j, implementation)
  }

  /** Module `j`'s body is an Effect: its Exit when it is one (or completes without suspending), else it runs now or waits for a permit. */
  private runEffect(j: number, implementation: EffectImplementation): void {
    const started = this.now
    let effect: Effect.Effect<Value, unknown>
    try {
      // A result known at once comes with no `Exit` around it (`Module.make`'s direct call).
      const r = callEffectBody(implementation, this.argsOf(j, implementation.borrowsArgs === true))
      if (!(r instanceof Later)) return this.endNow(j, r)
      effect = r.effect as Effect.Effect<Value, unknown>
    } catch (defect) {
      this.ctx.onDefect(this.plan.modules[j]!.module, defect)
      return this.endCall(j, started, undefined)
    }
    if (Exit.isExit(effect)) return this.endCall(j, started, effect as Exit.Exit<Value, unknown>)
    // It may suspend: it runs now when a permit is free (on this stack until it suspends,
    // then in a fiber of its own), else when one is.
    const now = this.ctx.runNow?.(j, effect)
    if (now === undefined) {
      this.pending.set(j, effect)
      this.toFork.push(j)
      return
    }
    if (now !== STARTED) this.endCall(j, started, now)
  }

  /** A body called on the spot ended with `exit`, or (undefined) threw while building its effect (reported already). */
  private endCall(j: number, started: number, exit: Exit.Exit<Value, unknown> | undefined): void {
    const module = this.plan.modules[j]!.module
    const error = exit === undefined ? fromDefect(module) : Exit.isSuccess(exit) ? undefined : errorOfExit(module, exit, this.ctx.onDefect)
    if (this.ctx.progress) this.push({ _tag: "ModuleStarted", ...this.moduleBase(j), timestamp: started })
    if (error === undefined) this.finishValue(j, (exit as Exit.Success<Value, unknown>).value, this.now - started, false)
    else this.finishError(j, error, this.now - started)
  }

  /**
   * A body called on the spot answered at once (in virtual time it took no
   * time): its result, or the `ModuleError` it failed with (`DEFECT`: it crashed).
   */
  private endNow(j: number, r: Value | ModuleError): void {
    if (this.ctx.progress) this.push({ _tag: "ModuleStarted", ...this.moduleBase(j) })
    if (!(r instanceof ModuleError)) return this.finishValue(j, r, 0, false)
    const module = this.plan.modules[j]!.module
    this.finishError(j, r === DEFECT ? fromDefect(module) : fromFailure(module, r), 0)
  }

  /**
   * Module `j`'s body is a plain function: its value or its error, with no
   * outcome object in between. It cannot suspend: in virtual time it takes no time.
   */
  private runSync(j: number, implementation: SyncImplementation): void {
    let r: Value | ModuleError
    try {
      r = implementation.run(this.argsOf(j, implementation.borrowsArgs === true))
    } catch (defect) {
      this.ctx.onDefect(this.plan.modules[j]!.module, defect)
      r = DEFECT
    }
    this.endNow(j, r)
  }

  /** Module `j`'s argument values, in a new array or (`borrowed`: the body keeps no reference) in one reused per arity. */
  private argsOf(j: number, borrowed: boolean): Array<Value> {
    const argNodes = this.plan.modules[j]!.args
    const n = argNodes.length
    const args = borrowed ? (this.argArrays[n] ??= new Array<Value>(n)) : new Array<Value>(n)
    for (let i = 0; i < n; i++) args[i] = this.values[argNodes[i]!.data] as Value
    return args
  }

  /** The effect built for a module waiting for a fiber, if it was built already. */
  takePending(j: number): Effect.Effect<Value, unknown> | undefined {
    const e = this.pending.get(j)
    if (e !== undefined) this.pending.delete(j)
    return e
  }

  /** The cache key of module `j`'s call, from its argument values (as `cacheKey` makes it, without the array). */
  private keyOf(j: number): string {
    const node = this.plan.modules[j]!
    let key = node.module
    for (const a of node.args) key += "\u0000" + argKey(this.values[a.data]!)
    return key
  }

  private finishModule(
    j: number,
    outcome: { readonly value: Value } | { readonly error: ErrorInfo },
    latencyMs: number,
    fromCache = false
  ): void {
    if ("value" in outcome) this.finishValue(j, outcome.value, latencyMs, fromCache)
    else this.finishError(j, outcome.error, latencyMs)
  }

  private finishValue(j: number, value: Value, latencyMs: number, fromCache: boolean): void {
    const node = this.markFinished(j)
    if (node === undefined) return
    if (!fromCache) this.ctx.onModuleFinished?.(node.module, latencyMs, false)
    if (this.ctx.progress) this.push({ _tag: "ModuleCompleted", ...this.moduleBase(j), latencyMs })
    const ttl = node.options.cacheMs
    if (ttl !== undefined && !fromCache) this.ctx.cache?.set(this.keyOf(j), value, this.now + ttl)
    this.resolve(node.output, node.options.onError === undefined ? value : successValue(node, value), false)
  }

  private finishError(j: number, error: ErrorInfo, latencyMs: number): void {
    const node = this.markFinished(j)
    if (node === undefined) return
    this.ctx.onModuleFinished?.(node.module, latencyMs, true)
    if (this.ctx.progress) this.push({ _tag: "ModuleFailed", ...this.moduleBase(j), error, latencyMs })
    const fb = node.options.fallback
    if (node.options.onError === "log") this.ctx.onLoggedFailure?.(node.module, error)
    if (fb === undefined) {
      const substitute = node.options.onError === undefined
        ? undefined
        : failureValue(node, this.plan.dag.data[node.output]!.type, error)
      return substitute === undefined ? this.fail(node.output, error) : this.resolve(node.output, substitute, node.options.onError !== "wrap")
    }
    if (this.status[fb] === FAILED) return this.fail(node.output, error)
    if (this.status[fb] === DONE) return this.resolve(node.output, this.values[fb] as Value, true)
    this.fallbackWaiters ??= new Map()
    const waiters = this.fallbackWaiters.get(fb)
    if (waiters === undefined) this.fallbackWaiters.set(fb, [[node.output, error]])
    else waiters.push([node.output, error])
    this.demand(fb)
  }

  private evalInline(d: number): void {
    if (this.status[d] !== PENDING) return
    if (this.plan.callNodes[d] !== undefined) return this.evalWithCalls(d)
    let value: Value
    try {
      value = evaluate(this.plan.inlineExpr[d]!, this.values)
    } catch (e) {
      if (e instanceof NeedValue) return this.awaitConditional(d, e.data)
      if (e instanceof InlineFailure) return this.fail(d, { code: e.code, message: e.message, module: null })
      this.ctx.onDefect(this.plan.dag.data[d]?.name ?? "expression", e)
      return this.fail(d, fromDefect(null))
    }
    this.resolve(d, value, false)
  }

  /** Evaluates node `d`, whose expression makes calls per element: at once when no call waits, else in a fiber. */
  private evalWithCalls(d: number): void {
    if (this.runs?.has(d) === true) return
    const ctx = this.ctx
    const run = new ElementRun(this.plan.inlineExpr[d]!, {
      plan: this.plan,
      impls: this.impls,
      values: this.values,
      now: ctx.now,
      cache: ctx.cache,
      onDefect: ctx.onDefect,
      onLoggedFailure: ctx.onLoggedFailure
    }, (j) => this.callStarted(j))
    const result = run.syncPass()
    if (result !== undefined) return this.finishRun(d, run, result)
    ;(this.runs ??= new Map()).set(d, run)
    this.toRunInline.push(d)
  }

  /** The fiber's work for node `d` (in `toRunInline`); the driver counts it in flight. */
  elementEffect(d: number, services: RunServices): Effect.Effect<RunResult> {
    return this.runs!.get(d)!.effect(services)
  }

  /** The first call of per-element module node `j` began. */
  callStarted(j: number): void {
    if (this.moduleState[j] !== WAITING) return
    this.now = this.ctx.now()
    this.moduleState[j] = RUNNING
    this.startedAt[j] = this.now
    if (this.ctx.progress && !this.finished) this.push({ _tag: "ModuleStarted", ...this.moduleBase(j) })
  }

  /** Node `d`'s fiber ended. */
  inlineFinished(d: number, result: RunResult): void {
    this.inFlight--
    this.now = this.ctx.now()
    const run = this.runs?.get(d)
    this.runs?.delete(d)
    if (run !== undefined) this.finishRun(d, run, result)
    this.process()
  }

  /** Each module node called: completed (with its number of calls), or failed when its call decided a failure; then `d`'s value. */
  private finishRun(d: number, run: ElementRun, result: RunResult): void {
    for (const j of this.plan.callNodes[d]!) {
      if (this.moduleState[j] !== RUNNING) continue
      this.moduleState[j] = FINISHED
      this.countFinished()
      const latencyMs = this.now - (this.startedAt[j] ?? 0)
      const failed = result._tag === "Failed" && run.failedModule === j
      const module = this.plan.modules[j]!.module
      this.ctx.onModuleFinished?.(module, latencyMs, failed)
      if (!this.ctx.progress || this.finished) continue
      this.push(failed
        ? { _tag: "ModuleFailed", ...this.moduleBase(j), error: (result as { readonly error: ErrorInfo }).error, latencyMs }
        : { _tag: "ModuleCompleted", ...this.moduleBase(j), latencyMs, calls: run.calls.calls[j] ?? 0 })
    }
    if (result._tag === "Done") this.resolve(d, result.value, false)
    else this.fail(d, result.error)
  }
}
