/**
 * Making the calls of one run of calls per element (ElementRun.ts): at
 * once when the call needs no fiber (elementCalls.ts's `tryNow`), else as
 * an effect with the call's options; its cache, `on_error`, and the count
 * of calls of each module node.
 */
import { Cause, Effect, Exit } from "effect"
import type { Value } from "../../lang/value.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import type { CallLimitsShape } from "../CallLimits.js"
import type { ErrorInfo } from "../ExecutionEvent.js"
import type { ModuleCacheShape } from "../ModuleCache.js"
import { argKey } from "../ModuleCache.js"
import type { SchedulerShape } from "../Scheduler.js"
import { failureValue, successValue } from "./callOutcome.js"
import { callNow } from "./callNow.js"
import type { CallEnv, CallOutcome, NeedCall } from "./elementCalls.js"
import { errorOf, runModuleWith } from "./moduleRun.js"
import { traceAttempt } from "./moduleSpans.js"
import type { Plan } from "./Plan.js"

/** What a run needs from the execution's bookkeeping. */
export interface RunContext {
  readonly plan: Plan
  readonly impls: ReadonlyArray<RegisteredModule | undefined>
  readonly values: ReadonlyArray<Value | undefined>
  readonly now: () => number
  readonly cache: ModuleCacheShape | undefined
  readonly onDefect: (where: string, defect: unknown) => void
  readonly onLoggedFailure: ((module: string, error: ErrorInfo) => void) | undefined
}

/** What a run's fiber needs from the driver: permits, limits, and where to report starts and retries. */
export interface RunServices {
  readonly scheduler: SchedulerShape
  readonly limits: CallLimitsShape | undefined
  readonly started: (module: number) => void
  readonly retrying: (module: number, attempt: number, delayMs: number, error: ErrorInfo) => void
  /** The execution runs under a span: each call's attempts get one (moduleSpans.ts). */
  readonly traced: boolean
  /** The execution's own bound on module bodies at once (`concurrency`), if it has one: no run has more elements waiting. */
  readonly maxOwn: number
}

const needsAttemptLoop = (o: Plan["modules"][number]["options"]): boolean =>
  (o.retry ?? 0) > 0 || o.timeoutMs !== undefined || o.throttle !== undefined || o.concurrency !== undefined

export class CallMaker implements CallEnv {
  /** Calls made so far, by module node. */
  readonly calls: Int32Array
  /** Told of the first call of each module node. */
  onStart: (module: number) => void
  /** The effect `tryNow` built for the call it could not make at once, for `NeedCall.effect`. */
  built: Effect.Effect<Value, unknown> | undefined

  constructor(
    private readonly ctx: RunContext,
    /** The module nodes whose calls have a `fallback` (it wins over `on_error`, as for a call node). */
    private readonly withFallback: ReadonlySet<number>,
    started: (module: number) => void
  ) {
    this.calls = new Int32Array(ctx.plan.modules.length)
    this.onStart = started
  }

  /** A call made at once when it can be: a cache hit, a `Module.sync` body, an Effect already complete. */
  readonly tryNow = (j: number, args: ReadonlyArray<Value>): CallOutcome | undefined => {
    if (this.calls[j]!++ === 0) this.onStart(j)
    const node = this.ctx.plan.modules[j]!
    const impl = this.ctx.impls[j]
    if (impl === undefined) {
      return this.settle(j, { error: { code: "unknown_module", message: `module ${node.module} is not registered in this engine`, module: node.module } })
    }
    const cache = node.options.cacheMs === undefined ? undefined : this.ctx.cache
    if (cache !== undefined) {
      const hit = cache.get(this.cacheKey(j, args), this.ctx.now())
      if (hit !== undefined) return this.settle(j, { value: hit })
    }
    if (needsAttemptLoop(node.options)) return undefined
    const outcome = callNow(impl, node.module, args, this.ctx.onDefect)
    if ("later" in outcome) {
      this.built = outcome.later
      return undefined
    }
    if ("value" in outcome && cache !== undefined) cache.set(this.cacheKey(j, args), outcome.value, this.ctx.now() + node.options.cacheMs!)
    return this.settle(j, outcome)
  }

  /**
   * The call `need` (for element `element`, if any) as an effect that never
   * fails, with its options (attempts, timeout, throttle, concurrency), each
   * attempt in a span when the execution is traced.
   */
  inFiber(
    need: NeedCall,
    element: number | undefined,
    services: RunServices,
    retrying: (attempt: number, delayMs: number, error: ErrorInfo) => void
  ): Effect.Effect<CallOutcome> {
    const j = need.module
    const node = this.ctx.plan.modules[j]!
    const fallback = this.withFallback.has(j)
    const around = services.traced
      ? (e: Effect.Effect<Value, unknown>, attempt: number, last: boolean) =>
        traceAttempt(e, node.module, element === undefined ? { node: j, attempt, last, fallback } : { node: j, attempt, last, fallback, element })
      : undefined
    const attempts = need.effect !== undefined
      ? (around === undefined ? need.effect : around(need.effect, 1, true))
      : runModuleWith(this.ctx.impls[j]!, need.args, node, { retrying, limits: services.limits, ...(around === undefined ? {} : { around }) })
    return Effect.map(Effect.exit(attempts), (exit): CallOutcome => {
      if (Exit.isSuccess(exit)) {
        const ttl = node.options.cacheMs
        if (ttl !== undefined) this.ctx.cache?.set(this.cacheKey(j, need.args), exit.value, this.ctx.now() + ttl)
        return this.settle(j, { value: exit.value })
      }
      if (Cause.failureOption(exit.cause)._tag === "None" && !Cause.isInterruptedOnly(exit.cause)) this.ctx.onDefect(node.module, exit.cause)
      return this.settle(j, { error: errorOf(node.module, exit.cause) })
    })
  }

  /** The cache key of a call (as ExecutionState makes it for a module node, so both share entries). */
  private cacheKey(j: number, args: ReadonlyArray<Value>): string {
    let key = this.ctx.plan.modules[j]!.module
    for (const a of args) key += "\u0000" + argKey(a)
    return key
  }

  /** What a call's outcome becomes under its `on_error` (a `fallback` is evaluated by the expression itself). */
  private settle(j: number, outcome: CallOutcome): CallOutcome {
    const node = this.ctx.plan.modules[j]!
    if ("value" in outcome) return node.options.onError === undefined ? outcome : { value: successValue(node, outcome.value) }
    if (node.options.onError === undefined || this.withFallback.has(j)) return outcome
    if (node.options.onError === "log") this.ctx.onLoggedFailure?.(node.module, outcome.error)
    const substitute = failureValue(node, this.ctx.plan.dag.data[node.output]!.type, outcome.error)
    return substitute === undefined ? outcome : { value: substitute }
  }
}
