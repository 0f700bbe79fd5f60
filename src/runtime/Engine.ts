/**
 * The engine: runs compiled pipelines as a batch (`run`) or as a stream of
 * events in completion order (`runStreaming`).
 *
 * ```ts
 * const program = Effect.gen(function*() {
 *   const compiler = yield* Compiler
 *   const engine = yield* Engine
 *   const pipeline = yield* compiler.compile(source)
 *   const events = yield* engine.runStreaming(pipeline, { text: "hello" })
 *   yield* Stream.runForEach(events, (e) => Console.log(e))
 * })
 * ```
 */
import { Channel, Config, Context, Effect, Either, Fiber, Layer, Option, Stream } from "effect"
import type { Clock, Scope } from "effect"
import type { CompiledPipeline } from "../lang/CompiledPipeline.js"
import { decodeInputs, InputError } from "../lang/codec.js"
import type { Value } from "../lang/value.js"
import { ModuleRegistry } from "../modules/ModuleRegistry.js"
import { fromLog } from "./BatchResult.js"
import type { BatchResult } from "./BatchResult.js"
import { execute } from "./internal/execute.js"
import { forkNow } from "./internal/forkNow.js"
import { DEFAULT_MAX_BUFFERED } from "./Execution.js"
import type { Execution, ExecutionOptions } from "./Execution.js"
import type { ExecutionEvent } from "./ExecutionEvent.js"
import { ExecutionLog } from "./ExecutionLog.js"
import { readAsStream } from "./internal/logStream.js"
import { planOf } from "./internal/Plan.js"
import { turnOffPretenuring } from "./internal/pretenuring.js"
import { startIn } from "./RunningExecution.js"
import type { RunningExecution } from "./RunningExecution.js"
import { Scheduler } from "./Scheduler.js"
import type { ModuleListener, SchedulerStats } from "./Scheduler.js"
import * as CallLimits from "./CallLimits.js"
import * as ModuleCache from "./ModuleCache.js"
import type { CacheStats } from "./ModuleCache.js"

/** @since 0.1.0 @category models */
export interface StreamOptions extends ExecutionOptions {
  /** How many events may wait for the consumer before the execution waits (default 64: a wide pipeline's outputs reach the consumer in chunks of up to 64, not one round trip per 10). */
  readonly maxBuffered?: number | undefined
}

/** @since 0.1.0 @category models */
export interface EngineShape {
  /** Runs a pipeline to the end and returns every output with its status. Fails only for invalid inputs. */
  readonly run: (pipeline: CompiledPipeline, inputs: unknown, options?: ExecutionOptions) => Effect.Effect<BatchResult, InputError>
  /**
   * Validates the inputs, then returns the execution as a stream of events
   * in completion order. The execution starts when the stream is consumed
   * and stops (interrupting every module) when the consumer stops.
   */
  readonly runStreaming: (
    pipeline: CompiledPipeline,
    inputs: unknown,
    options?: StreamOptions
  ) => Effect.Effect<Stream.Stream<ExecutionEvent>, InputError>
  /**
   * The two-step form, for transports and for readers of their own:
   * validates the inputs and returns the execution (its id, outputs and
   * log) without running it. Attach readers to `execution.log`, then run
   * `execution.run`. No Stream, no queue: the cheapest way to serve an
   * execution.
   */
  readonly prepare: (
    pipeline: CompiledPipeline,
    inputs: unknown,
    options?: ExecutionOptions
  ) => Effect.Effect<Execution, InputError>
  /**
   * Starts the execution in the background, in a fiber of the caller's
   * scope (closing it interrupts the run), and returns its handle: any
   * number of readers (`events({ after })`), `snapshot`, `cancel`, `await`.
   * No reader holds the run back. It starts at once: when `start` returns,
   * every module that could start has, so `start` then `events()` is the
   * quickest way to the first output.
   */
  readonly start: (
    pipeline: CompiledPipeline,
    inputs: unknown,
    options?: ExecutionOptions
  ) => Effect.Effect<RunningExecution, InputError, Scope.Scope>
  readonly stats: () => SchedulerStats
  /** The counters of the module result cache (`with cache`), shared by the engine's executions. */
  readonly cacheStats: () => CacheStats
  /** Calls `listener` after every module body that ran, with its latency; returns a remover. */
  readonly observeModules: (listener: ModuleListener) => () => void
}

/**
 * The engine: runs compiled pipelines.
 *
 * @since 0.1.0
 * @category services
 */
export class Engine extends Context.Tag("@constellation/Engine")<Engine, EngineShape>() {}

/** How many events a stream buffers for its consumer by default. @since 0.1.0 */
export { DEFAULT_MAX_BUFFERED }

/** `f` of the decoded inputs and the clock, in one step (the failure of invalid inputs otherwise): per request, so no more. */
const withInputs = <A, E, R>(
  pipeline: CompiledPipeline,
  inputs: unknown,
  f: (values: Readonly<Record<string, Value>>, clock: Clock.Clock) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | InputError, R> =>
  Effect.clockWith((clock): Effect.Effect<A, E | InputError, R> => {
    const values = decodeInputs(pipeline.dag.inputs, inputs)
    return Either.isLeft(values) ? Effect.fail(values.left) : f(values.right, clock)
  })

const newId = (options: ExecutionOptions | undefined): string => options?.executionId ?? crypto.randomUUID()

/** @since 0.1.0 @category constructors */
export const make = Effect.gen(function*() {
  const registry = yield* ModuleRegistry
  const scheduler = yield* Scheduler
  const lookup = registry.get
  // Provided to share them (or size the cache); otherwise the engine has its own.
  const cache = Option.getOrElse(yield* Effect.serviceOption(ModuleCache.ModuleCache), () => ModuleCache.make(10_000))
  const limits = Option.getOrElse(yield* Effect.serviceOption(CallLimits.CallLimits), CallLimits.make)
  const services = { cache, limits }
  // V8's allocation-site pretenuring misjudges an execution's objects (internal/pretenuring.ts).
  if (!(yield* Effect.orDie(Config.boolean("CONSTELLATION_V8_PRETENURING").pipe(Config.withDefault(false))))) turnOffPretenuring()

  /** The execution of valid inputs, on `clock`. */
  const executionOf = (
    pipeline: CompiledPipeline,
    values: Readonly<Record<string, Value>>,
    options: ExecutionOptions | undefined,
    clock: Clock.Clock
  ): Execution => {
    const executionId = newId(options)
    const plan = planOf(pipeline)
    const log = new ExecutionLog(executionId, plan.outputNames, () => clock.unsafeCurrentTimeMillis())
    return {
      executionId,
      outputs: log.outputs,
      log,
      // Counted active by `execute` itself (the scheduler's stats), without an Effect region around it.
      run: execute(plan, lookup, values, log, { ...options, executionId }, scheduler, services, clock)
    }
  }

  const prepare: EngineShape["prepare"] = (pipeline, inputs, options) =>
    withInputs(pipeline, inputs, (values, clock) => Effect.succeed(executionOf(pipeline, values, options, clock)))

  const run: EngineShape["run"] = (pipeline, inputs, options) =>
    withInputs(pipeline, inputs, (values, clock) => {
      const execution = executionOf(pipeline, values, options, clock)
      const start = clock.unsafeCurrentTimeMillis()
      return Effect.map(execution.run, () => fromLog(execution.log, clock.unsafeCurrentTimeMillis() - start))
    })

  const runStreaming: EngineShape["runStreaming"] = (pipeline, inputs, options) =>
    Effect.map(prepare(pipeline, inputs, options), (execution) =>
      // At the channel level, without a scope: `Channel.unwrapScoped` (a scope, concatAll) cost the
      // first event about 0.3 ms when the process has idled, 0.1 ms warm.
      Stream.fromChannel(Channel.unwrap(Effect.suspend(() => {
        const reading = readAsStream(execution.log, options?.maxBuffered ?? DEFAULT_MAX_BUFFERED, { holdsExecution: true })
        // Started at once (forkNow.ts): the modules that wait on timers or I/O have started theirs
        // before the consumer's first pull. When the consumer stops, the execution is interrupted
        // and awaited (its finalizers have run).
        return Effect.map(forkNow(Effect.ensuring(execution.run, reading.end)), (running) =>
          Channel.ensuring(reading.channel, Effect.zipRight(Fiber.interrupt(running), Effect.sync(() => execution.log.release()))))
      }))))

  const start: EngineShape["start"] = (pipeline, inputs, options) =>
    withInputs(pipeline, inputs, (values, clock) =>
      startIn(executionOf(pipeline, values, options, clock), () => clock.unsafeCurrentTimeMillis()))

  return Engine.of({
    run,
    runStreaming,
    prepare,
    start,
    stats: scheduler.stats,
    cacheStats: cache.stats,
    observeModules: scheduler.observeModules
  })
})

/**
 * The engine; needs a module registry and a scheduler (`Constellation.layer`
 * provides all of them with the standard library). It uses the
 * `ModuleCache` and `CallLimits` given to it, or makes its own.
 *
 * Making it turns V8's allocation-site pretenuring off for the process
 * (it misjudges an execution's short-lived objects; a 1,000-module batch
 * run costs about a third more with it on), unless `Config`
 * `CONSTELLATION_V8_PRETENURING` is `true`. Does nothing outside Node.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Engine, never, ModuleRegistry | Scheduler> = Layer.effect(Engine, make)

export { InputError }
