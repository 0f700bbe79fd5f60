/**
 * The bookkeeping of one execution: which data nodes have values, which
 * modules are ready, and the events that follow from each change. Plain,
 * synchronous code: the driver (Execution.ts) calls it and publishes the
 * events it collects; nothing here suspends.
 *
 * Readiness is counted, not awaited: each module and inline node keeps the
 * number of inputs it still misses; when a data node gets its value, its
 * consumers count down and those reaching zero become ready. A failed data
 * node fails its consumers at once, the same way.
 */
import type { Value } from "../../lang/value.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import { Exit } from "effect"
import type { Effect } from "effect"
import { evaluate, InlineFailure } from "./evaluate.js"
import { NeedValue } from "./demand.js"
import { failureValue, successValue } from "./callOutcome.js"
import { argKey } from "../ModuleCache.js"
import type { ModuleCacheShape } from "../ModuleCache.js"
import { fromDefect, fromFailure, upstream } from "./errorInfo.js"
import { ModuleError } from "../../modules/ModuleError.js"
import { errorOfExit } from "./callNow.js"
import type { ErrorInfo, ExecutionEvent } from "../ExecutionEvent.js"
import type { Plan } from "./Plan.js"
import { valueSize } from "./valueSize.js"
import { ElementRun } from "./ElementRun.js"
import { ReadyQueue } from "./ReadyQueue.js"
import type { RunResult } from "./ElementRun.js"
import type { RunServices } from "./CallMaker.js"

type SyncImplementation = Extract<RegisteredModule["implementation"], { readonly _tag: "Sync" }>

/** What a sync body's crash stands for in `runSync`, before it becomes its `module_defect` error. */
const DEFECT = new ModuleError({ code: "module_defect", message: "" })

const PENDING = 0, DONE = 1, FAILED = 2
const WAITING = 0, RUNNING = 1, FINISHED = 2

export interface StateContext {
  readonly executionId: string
  readonly progress: boolean
  readonly now: () => number
  /** Told of every module body that ran, with its latency (metrics). */
  readonly onModuleFinished: ((module: string, latencyMs: number, failed: boolean) => void) | undefined
  /** Called with the thrown value when a sync module or an inline expression crashes. */
  readonly onDefect: (where: string, defect: unknown) => void
  /** A value larger than this (as JSON, estimated) fails its node with `value_too_large` (default: no bound). */
  readonly maxValueBytes?: number | undefined
  /** Where results of calls `with cache` are kept, across executions. */
  readonly cache?: ModuleCacheShape | undefined
  /** Told of a failure that `on_error: log` turned into a zero value. */
  readonly onLoggedFailure?: ((module: string, error: ErrorInfo) => void) | undefined
  /**
   * Runs module `j`'s effect at once if a permit is free: its Exit when it
   * ended without suspending, `STARTED` when it went on in a fiber (in
   * flight, `moduleStarted` called), undefined when it must wait for a permit.
   */
  readonly runNow?: ((j: number, effect: Effect.Effect<Value, unknown>) => Exit.Exit<Value, unknown> | typeof STARTED | undefined) | undefined
}

/** `runNow`'s answer for an effect that suspended and goes on in a fiber. */
export const STARTED = "started"


/**
 * What demanding a plan's outputs at the start gives (the demanded nodes,
 * the work ready at once): a function of the plan alone, since nothing has
 * a value yet, so it is walked once per plan and copied after.
 */
const initialDemand = new WeakMap<Plan, { readonly demanded: Uint8Array; readonly ready: Int32Array }>()

export class ExecutionState {
  readonly values: Array<Value | undefined>
  private readonly status: Uint8Array
  private readonly moduleMissing: Int32Array
  private readonly inlineMissing: Int32Array
  private readonly moduleState: Uint8Array
  /** Whether each data node's value is wanted: outputs, and what wanted values read (demand.ts). */
  private readonly demanded: Uint8Array
  /** For each module taking results of lazy calls: its other arguments still missing. */
  private readonly eagerMissing: Int32Array | undefined
  /** Inline nodes waiting for a value they read conditionally, by that value's node. */
  private conditionalWaiters: Map<number, Array<number>> | undefined
  /** The error of each failed data node, for the inline nodes that read it later. */
  private readonly errors = new Map<number, ErrorInfo>()
  /** Ready work: a module node `j` as `j`, an inline data node `d` as `~d`. */
  private readonly ready: ReadyQueue
  private fallbackWaiters: Map<number, Array<readonly [number, ErrorInfo]>> | undefined
  /** Events not yet published; their `seq` is set by the publisher. */
  private events: Array<ExecutionEvent>
  /** How many of `events`' slots hold events (the first list is made at its full size). */
  private eventCount = 0
  private progressDirty = false
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
  outputsRemaining: number
  /** The clock read once per step: every event of one synchronous step happens at the same instant. */
  private now = 0
  modulesFinished = 0
  finished = false

  constructor(
    readonly plan: Plan,
    /** The implementation of each module node, or undefined when the registry lacks it. */
    private readonly impls: ReadonlyArray<RegisteredModule | undefined>,
    /** Whether each module node must run in a fiber whatever its implementation (options that time out or retry). */
    private readonly forked: ReadonlyArray<boolean>,
    private readonly ctx: StateContext
  ) {
    const n = plan.dag.data.length
    this.values = new Array(n).fill(undefined)
    this.status = new Uint8Array(n)
    this.moduleMissing = Int32Array.from(plan.moduleInputs)
    this.inlineMissing = Int32Array.from(plan.inlineInputs)
    this.moduleState = new Uint8Array(plan.modules.length)
    this.demanded = new Uint8Array(n)
    this.eagerMissing = plan.hasLazyArgs ? Int32Array.from(plan.eagerArgs, (args) => args.length) : undefined
    this.startedAt = new Float64Array(plan.modules.length)
    this.ready = new ReadyQueue(plan.modules.length + 8)
    // Without progress events an execution's events are its outputs': a list of that size holds them all.
    this.events = ctx.progress ? [] : new Array(plan.outputCount)
    this.outputsRemaining = plan.outputCount
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

  /** The events collected since the last call, in order. */
  takeEvents(): Array<ExecutionEvent> {
    if (this.progressDirty && !this.finished) this.pushProgress()
    const out = this.events
    // Only when the list was made larger (setting the length is a call into the runtime).
    if (out.length !== this.eventCount) out.length = this.eventCount
    this.events = []
    this.eventCount = 0
    return out
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

  // ------------------------------------------------------------ demand

  /** Wants data node `first`, and what it needs: a module runs, an inline node is evaluated, once demanded and ready. */
  private demand(first: number): void {
    const plan = this.plan
    const stack = [first]
    while (stack.length > 0) {
      const d = stack.pop()!
      if (this.demanded[d] === 1) continue
      this.demanded[d] = 1
      const source = plan.dag.data[d]!.source
      if (source._tag === "Module") {
        const m = source.module
        if (this.moduleState[m] !== WAITING) continue
        for (const arg of plan.eagerArgs[m]!) stack.push(arg)
        if (this.moduleMissing[m] === 0) this.ready.push(m)
        else if (this.eagerMissing !== undefined && this.eagerMissing[m] === 0) for (const arg of plan.lazyArgs[m]!) stack.push(arg)
      } else if (source._tag === "Inline") {
        for (const dep of plan.inlineStrict[d]!) stack.push(dep)
        if (this.status[d] === PENDING && this.inlineMissing[d] === 0) this.ready.push(~d)
      }
    }
  }

  /** Before the final event: modules that never ran and are not needed now are reported skipped. */
  private skipNotNeeded(): void {
    for (let j = 0; j < this.moduleState.length; j++) {
      if (this.moduleState[j] !== WAITING) continue
      this.moduleState[j] = FINISHED
      this.countFinished()
      if (this.ctx.progress) {
        this.push({ _tag: "ModuleSkipped", ...this.moduleBase(j), reason: "its value was not needed", cause: "not_needed" })
      }
    }
  }

  // ------------------------------------------------------------ internals

  private moduleBase(j: number) {
    const m = this.plan.modules[j]!
    return { executionId: this.ctx.executionId, seq: -1, timestamp: this.now, module: m.module, node: j }
  }

  private push(e: ExecutionEvent): void {
    this.events[this.eventCount++] = e
  }

  private pushProgress(): void {
    this.progressDirty = false
    this.push({
      _tag: "Progress",
      executionId: this.ctx.executionId,
      seq: -1,
      timestamp: this.now,
      completed: this.modulesFinished,
      total: this.plan.modules.length
    })
  }

  private countFinished(): void {
    this.modulesFinished++
    if (this.ctx.progress) this.progressDirty = true
  }

  private runModule(j: number): void {
    const node = this.plan.modules[j]!
    const impl = this.impls[j]
    if (this.moduleState[j] !== WAITING) return
    this.moduleState[j] = RUNNING
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
    if (implementation._tag === "Sync") return this.runSync(j, implementation)
    const started = this.now
    let effect: Effect.Effect<Value, unknown>
    try {
      effect = implementation.run(this.argsOf(j, implementation.borrowsArgs === true))
    } catch (defect) {
      this.ctx.onDefect(node.module, defect)
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
   * Module `j`'s body is a plain function: its value or its error, with no
   * outcome object in between. It cannot suspend: in virtual time it takes no time.
   */
  private runSync(j: number, implementation: SyncImplementation): void {
    const module = this.plan.modules[j]!.module
    let r: Value | ModuleError
    try {
      r = implementation.run(this.argsOf(j, implementation.borrowsArgs === true))
    } catch (defect) {
      this.ctx.onDefect(module, defect)
      r = DEFECT
    }
    if (this.ctx.progress) this.push({ _tag: "ModuleStarted", ...this.moduleBase(j) })
    if (!(r instanceof ModuleError)) return this.finishValue(j, r, 0, false)
    this.finishError(j, r === DEFECT ? fromDefect(module) : fromFailure(module, r), 0)
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

  /** Marks module `j` finished and returns its node, or undefined when it had finished already. */
  private markFinished(j: number): Plan["modules"][number] | undefined {
    if (this.moduleState[j] === FINISHED) return undefined
    this.moduleState[j] = FINISHED
    this.countFinished()
    return this.plan.modules[j]!
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

  // ------------------------------------------------------------ calls per element (ElementRun.ts)

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

  /** Inline node `d` reached `needed`, which has no value yet: demand it, and evaluate `d` again when it has one. */
  private awaitConditional(d: number, needed: number): void {
    if (this.status[needed] === FAILED) return this.fail(d, upstream(this.errors.get(needed)!))
    this.conditionalWaiters ??= new Map()
    const waiters = this.conditionalWaiters.get(needed)
    if (waiters === undefined) this.conditionalWaiters.set(needed, [d])
    else waiters.push(d)
    this.demand(needed)
  }

  /** The output events of data node `d`: its value (`error` undefined), or its error. */
  private emitOutput(d: number, value: Value | undefined, fromFallback: boolean, error: ErrorInfo | undefined): void {
    const outputs = this.plan.outputsOf[d]!
    for (let k = 0; k < outputs.length; k++) {
      if (this.finished) return
      const { name, encode } = outputs[k]!
      if (this.outputsRemaining === 1) this.skipNotNeeded()
      if (this.progressDirty) this.pushProgress()
      const isFinal = --this.outputsRemaining === 0
      const executionId = this.ctx.executionId, timestamp = this.now
      this.push(error === undefined
        ? { _tag: "Output", executionId, seq: -1, timestamp, name, isFinal, value: encode === undefined ? value! : encode(value!), fromFallback }
        : { _tag: "OutputFailed", executionId, seq: -1, timestamp, name, isFinal, error })
      if (isFinal) this.finished = true
    }
  }

  private resolve(d: number, value: Value, fromFallback: boolean): void {
    if (this.status[d] !== PENDING) return
    const max = this.ctx.maxValueBytes
    if (max !== undefined && valueSize(value, max) > max) return this.fail(d, this.tooLarge(d, max))
    this.status[d] = DONE
    this.values[d] = value
    if (this.plan.outputsOf[d]!.length > 0) this.emitOutput(d, value, fromFallback, undefined)
    const plan = this.plan
    for (const m of plan.moduleConsumers[d]!) {
      if (--this.moduleMissing[m]! === 0) {
        if (this.demanded[plan.modules[m]!.output] === 1) this.ready.push(m)
      } else if (this.eagerMissing !== undefined) this.lazyArgReady(m, d)
    }
    for (const i of plan.inlineConsumers[d]!) if (--this.inlineMissing[i]! === 0 && this.demanded[i] === 1) this.ready.push(~i)
    const conditional = this.conditionalWaiters?.get(d)
    if (conditional !== undefined) {
      this.conditionalWaiters!.delete(d)
      for (const i of conditional) this.ready.push(~i)
    }
    const waiters = this.fallbackWaiters?.get(d)
    if (waiters !== undefined) {
      this.fallbackWaiters!.delete(d)
      for (const [out] of waiters) this.resolve(out, value, true)
    }
  }

  /** Argument `d` of module `m` has its value: once every argument but lazy ones has, a demanded `m` demands those. */
  private lazyArgReady(m: number, d: number): void {
    const plan = this.plan
    if (plan.lazyArgs[m]!.length === 0 || plan.lazyArgs[m]!.includes(d)) return
    if (--this.eagerMissing![m]! === 0 && this.demanded[plan.modules[m]!.output] === 1) {
      for (const arg of plan.lazyArgs[m]!) this.demand(arg)
    }
  }

  private tooLarge(d: number, max: number): ErrorInfo {
    const node = this.plan.dag.data[d]
    const source = node?.source
    return {
      code: "value_too_large",
      message: `the value of ${node?.name ?? "an expression"} is larger than the limit of ${max} bytes`,
      module: source?._tag === "Module" ? (this.plan.modules[source.module]?.module ?? null) : null
    }
  }

  /** The per-element calls of failed node `d` that were never made. */
  private skipCalls(d: number, calls: ReadonlyArray<number>, error: ErrorInfo): void {
    for (const j of calls) {
      if (this.moduleState[j] !== WAITING) continue
      this.moduleState[j] = FINISHED
      this.countFinished()
      if (this.ctx.progress) {
        const reason = `the expression '${this.plan.dag.data[d]?.name}' that calls it failed (${error.code})`
        this.push({ _tag: "ModuleSkipped", ...this.moduleBase(j), reason, cause: "upstream_failed" })
      }
    }
  }

  /** Fails `d` and, at once, everything that depends on it (iteratively: chains may be long). */
  private fail(first: number, firstError: ErrorInfo): void {
    const work: Array<readonly [number, ErrorInfo]> = [[first, firstError]]
    for (let k = 0; k < work.length; k++) {
      const [d, error] = work[k]!
      if (this.status[d] !== PENDING) continue
      this.status[d] = FAILED
      this.errors.set(d, error)
      this.emitOutput(d, undefined, false, error)
      const downstream = upstream(error)
      for (const m of this.plan.moduleConsumers[d]!) {
        if (this.moduleState[m] !== WAITING) continue
        this.moduleState[m] = FINISHED
        this.countFinished()
        const node = this.plan.modules[m]!
        if (this.ctx.progress) {
          const reason = `input '${this.plan.dag.data[d]?.name}' failed (${error.code})`
          this.push({ _tag: "ModuleSkipped", ...this.moduleBase(m), reason, cause: "upstream_failed" })
        }
        work.push([node.output, downstream])
      }
      for (const i of this.plan.inlineConsumers[d]!) work.push([i, downstream])
      const calls = this.plan.callNodes[d]
      if (calls !== undefined) this.skipCalls(d, calls, error)
      const conditional = this.conditionalWaiters?.get(d)
      if (conditional !== undefined) {
        this.conditionalWaiters!.delete(d)
        for (const i of conditional) work.push([i, downstream])
      }
      const waiters = this.fallbackWaiters?.get(d)
      if (waiters !== undefined) {
        this.fallbackWaiters!.delete(d)
        for (const [out, original] of waiters) work.push([out, original])
      }
    }
  }
}
