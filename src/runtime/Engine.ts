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
import { Context, Effect, Either, Layer, Mailbox, Stream } from "effect"
import type { CompiledPipeline } from "../lang/CompiledPipeline.js"
import { decodeInputs, InputError } from "../lang/codec.js"
import type { Value } from "../lang/value.js"
import { ModuleRegistry } from "../modules/ModuleRegistry.js"
import { BatchCollector } from "./BatchResult.js"
import type { BatchResult } from "./BatchResult.js"
import { execute } from "./Execution.js"
import type { EventSink, ExecutionOptions } from "./Execution.js"
import type { ExecutionEvent } from "./ExecutionEvent.js"
import { planOf } from "./Plan.js"
import { Scheduler } from "./Scheduler.js"
import type { ModuleListener, SchedulerStats } from "./Scheduler.js"

export interface StreamOptions extends ExecutionOptions {
  /** How many events may wait for the consumer before the execution waits (default 10). */
  readonly maxBuffered?: number | undefined
}

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
   * The lower-level form of `runStreaming`, for transports that write events
   * themselves: validates the inputs, then returns the execution, which
   * publishes every event to `sink` (waiting on `sink.offer` when it is
   * full) and ends after the final one. Interrupting it interrupts every
   * module. No Stream, no queue: the cheapest way to serve an execution.
   */
  readonly runWith: (
    pipeline: CompiledPipeline,
    inputs: unknown,
    sink: EventSink,
    options?: ExecutionOptions
  ) => Effect.Effect<Effect.Effect<void>, InputError>
  readonly stats: () => SchedulerStats
  /** Calls `listener` after every module body that ran, with its latency; returns a remover. */
  readonly observeModules: (listener: ModuleListener) => () => void
}

export class Engine extends Context.Tag("@constellation/Engine")<Engine, EngineShape>() {}

export const DEFAULT_MAX_BUFFERED = 10

const decode = (pipeline: CompiledPipeline, inputs: unknown): Effect.Effect<Readonly<Record<string, Value>>, InputError> => {
  const r = decodeInputs(pipeline.dag.inputs, inputs)
  return Either.isRight(r) ? Effect.succeed(r.right) : Effect.fail(r.left)
}

const newId = (options: ExecutionOptions | undefined): string => options?.executionId ?? crypto.randomUUID()

export const make = Effect.gen(function*() {
  const registry = yield* ModuleRegistry
  const scheduler = yield* Scheduler
  const lookup = registry.get

  const run: EngineShape["run"] = (pipeline, inputs, options) =>
    Effect.flatMap(decode(pipeline, inputs), (values) =>
      Effect.flatMap(Effect.clock, (clock) => {
        const executionId = newId(options)
        const collector = new BatchCollector(pipeline.dag.outputs.map((o) => o.name))
        const start = clock.unsafeCurrentTimeMillis()
        const sink = {
          unsafeOffer: (e: ExecutionEvent) => (collector.add(e), true),
          offer: (e: ExecutionEvent) => Effect.sync(() => collector.add(e))
        }
        return Effect.map(
          scheduler.trackExecution(execute(planOf(pipeline), lookup, values, sink, { ...options, executionId }, scheduler)),
          () => collector.result(executionId, clock.unsafeCurrentTimeMillis() - start)
        )
      }))

  const runStreaming: EngineShape["runStreaming"] = (pipeline, inputs, options) =>
    Effect.map(decode(pipeline, inputs), (values) =>
      Stream.unwrapScoped(Effect.gen(function*() {
        const executionId = newId(options)
        const mailbox = yield* Mailbox.make<ExecutionEvent>(Math.max(1, options?.maxBuffered ?? DEFAULT_MAX_BUFFERED))
        const sink = {
          unsafeOffer: (e: ExecutionEvent) => mailbox.unsafeOffer(e),
          offer: (e: ExecutionEvent) => Effect.asVoid(mailbox.offer(e))
        }
        yield* execute(planOf(pipeline), lookup, values, sink, { ...options, executionId }, scheduler).pipe(
          Effect.ensuring(mailbox.end),
          scheduler.trackExecution,
          Effect.forkScoped
        )
        return Mailbox.toStream(mailbox)
      })))

  const runWith: EngineShape["runWith"] = (pipeline, inputs, sink, options) =>
    Effect.map(decode(pipeline, inputs), (values) =>
      scheduler.trackExecution(execute(planOf(pipeline), lookup, values, sink, { ...options, executionId: newId(options) }, scheduler)))

  return Engine.of({ run, runStreaming, runWith, stats: scheduler.stats, observeModules: scheduler.observeModules })
})

/** The engine; needs a module registry and a scheduler. */
export const layer: Layer.Layer<Engine, never, ModuleRegistry | Scheduler> = Layer.effect(Engine, make)

export { InputError }
