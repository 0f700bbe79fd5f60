/**
 * The dataflow of one execution: which data nodes have values, which are
 * wanted, which modules and inline nodes are ready, and the events that
 * follow from each change (outputs, failures spreading downstream, modules
 * skipped). Plain, synchronous code; `ExecutionState` extends it with the
 * running of modules and expressions.
 *
 * Readiness is counted, not awaited: each module and inline node keeps the
 * number of inputs it still misses; when a data node gets its value, its
 * consumers count down and those reaching zero become ready. A failed data
 * node fails its consumers at once, the same way.
 */
import type { Effect, Exit } from "effect"
import type { Value } from "../../lang/value.js"
import type { ModuleCacheShape } from "../ModuleCache.js"
import type { ErrorInfo, ExecutionEvent } from "../ExecutionEvent.js"
import { upstream } from "./errorInfo.js"
import type { Plan } from "./Plan.js"
import { ReadyQueue } from "./ReadyQueue.js"
import { valueSize } from "./valueSize.js"

/** A data node's status. */
export const PENDING = 0, DONE = 1, FAILED = 2
/** A module node's state. */
export const WAITING = 0, RUNNING = 1, FINISHED = 2

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

export class DataflowState {
  readonly values: Array<Value | undefined>
  protected readonly status: Uint8Array
  protected readonly moduleMissing: Int32Array
  protected readonly inlineMissing: Int32Array
  protected readonly moduleState: Uint8Array
  /** Whether each data node's value is wanted: outputs, and what wanted values read (demand.ts). */
  protected readonly demanded: Uint8Array
  /** For each module taking results of lazy calls: its other arguments still missing. */
  private readonly eagerMissing: Int32Array | undefined
  /** Inline nodes waiting for a value they read conditionally, by that value's node. */
  private conditionalWaiters: Map<number, Array<number>> | undefined
  /** The error of each failed data node, for the inline nodes that read it later. */
  private readonly errors = new Map<number, ErrorInfo>()
  /** Ready work: a module node `j` as `j`, an inline data node `d` as `~d`. */
  protected readonly ready: ReadyQueue
  protected fallbackWaiters: Map<number, Array<readonly [number, ErrorInfo]>> | undefined
  /** Events not yet published; their `seq` is set by the publisher. */
  private events: Array<ExecutionEvent>
  /** How many of `events`' slots hold events (the first list is made at its full size). */
  private eventCount = 0
  private progressDirty = false
  outputsRemaining: number
  /** The clock read once per step: every event of one synchronous step happens at the same instant. */
  protected now = 0
  modulesFinished = 0
  finished = false

  constructor(readonly plan: Plan, protected readonly ctx: StateContext) {
    const n = plan.dag.data.length
    this.values = new Array(n).fill(undefined)
    this.status = new Uint8Array(n)
    this.moduleMissing = Int32Array.from(plan.moduleInputs)
    this.inlineMissing = Int32Array.from(plan.inlineInputs)
    this.moduleState = new Uint8Array(plan.modules.length)
    this.demanded = new Uint8Array(n)
    this.eagerMissing = plan.hasLazyArgs ? Int32Array.from(plan.eagerArgs, (args) => args.length) : undefined
    this.ready = new ReadyQueue(plan.modules.length + 8)
    // Without progress events an execution's events are its outputs': a list of that size holds them all.
    this.events = ctx.progress ? [] : new Array(plan.outputCount)
    this.outputsRemaining = plan.outputCount
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

  /** Wants data node `first`, and what it needs: a module runs, an inline node is evaluated, once demanded and ready. */
  protected demand(first: number): void {
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

  protected moduleBase(j: number) {
    const m = this.plan.modules[j]!
    return { executionId: this.ctx.executionId, seq: -1, timestamp: this.now, module: m.module, node: j }
  }

  protected push(e: ExecutionEvent): void {
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

  protected countFinished(): void {
    this.modulesFinished++
    if (this.ctx.progress) this.progressDirty = true
  }

  /** Marks module `j` finished and returns its node, or undefined when it had finished already. */
  protected markFinished(j: number): Plan["modules"][number] | undefined {
    if (this.moduleState[j] === FINISHED) return undefined
    this.moduleState[j] = FINISHED
    this.countFinished()
    return this.plan.modules[j]!
  }

  /** Inline node `d` reached `needed`, which has no value yet: demand it, and evaluate `d` again when it has one. */
  protected awaitConditional(d: number, needed: number): void {
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

  protected resolve(d: number, value: Value, fromFallback: boolean): void {
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
  protected fail(first: number, firstError: ErrorInfo): void {
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
