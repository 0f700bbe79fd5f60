/**
 * Running a request: admission, the pipeline, input validation and the
 * engine's options (deadline, shutdown stop, buffering), shared by the
 * batch, SSE and WebSocket transports. Every problem known before anything
 * runs is a typed error; once running, the execution reports through its
 * events. Finished executions are counted by mode and status.
 */
import { Context, Duration, Effect, Exit, Layer } from "effect"
import type { Fiber } from "effect"
import type { InputError } from "../lang/codec.js"
import { StatusTally } from "../runtime/BatchResult.js"
import { Engine } from "../runtime/Engine.js"
import type { EventSink } from "../runtime/Execution.js"
import type { ExecutionEvent } from "../runtime/ExecutionEvent.js"
import { Forks } from "../runtime/Forks.js"
import { Admission } from "./Admission.js"
import type { BatchResponse, ExecuteRequest } from "./ApiModels.js"
import { InvalidInputs } from "./HttpError.js"
import type { ExecuteError, OverCapacity, ShuttingDown } from "./HttpError.js"
import { Lifecycle } from "./Lifecycle.js"
import { Limits } from "./Limits.js"
import { Metrics } from "./Metrics.js"
import type { ExecutionStatus, Mode } from "./Metrics.js"
import { Pipelines } from "./Pipelines.js"
import { isFinalEvent } from "./WireEvent.js"

/** Where a launched execution's events go, and the transport's bookkeeping around it. */
export interface Transport {
  /** Receives every event, in order; the execution waits on `offer` while it is full. */
  readonly sink: EventSink
  /** Wraps the execution, in its fiber (e.g. counting an open stream, a client that went away). */
  readonly around: (execution: Effect.Effect<void>) => Effect.Effect<void>
}

export interface ExecutionsShape {
  /**
   * Admits, resolves and validates an execution, then runs it at once in a
   * fiber of the service (interrupted when the service stops), publishing
   * to the transport that `open` makes for its id and declared outputs:
   * no Stream, no queue.
   * The admission slot is held until the fiber ends; interrupting the
   * fiber interrupts every module. Fails, having started nothing, for
   * every problem known before running.
   */
  readonly launch: (
    request: ExecuteRequest,
    mode: "stream" | "websocket",
    open: (executionId: string, outputs: ReadonlyArray<{ readonly name: string }>) => Transport
  ) => Effect.Effect<Fiber.RuntimeFiber<void>, ExecuteError>
  /** Runs an execution to its end. */
  readonly batch: (request: ExecuteRequest) => Effect.Effect<BatchResponse, ExecuteError>
}

export class Executions extends Context.Tag("@constellation/http/Executions")<Executions, ExecutionsShape>() {}

export const invalidInputs = (e: InputError): InvalidInputs =>
  new InvalidInputs({ message: `The inputs do not match the pipeline: ${e.message}`, issues: e.issues })

/**
 * What an execution published, to tell how it ended: by its outcome, or
 * `cancelled` when it stopped before its final event.
 */
const endTally = (outputs: number) => {
  const tally = new StatusTally(outputs)
  let finished = false
  return {
    add: (e: ExecutionEvent): void => {
      tally.add(e)
      if (isFinalEvent(e)) finished = true
    },
    status: (exit: Exit.Exit<unknown, unknown>): ExecutionStatus => (finished && Exit.isSuccess(exit) ? tally.status : "cancelled")
  }
}

export const make = Effect.gen(function*() {
  const engine = yield* Engine
  const admission = yield* Admission
  const pipelines = yield* Pipelines
  const lifecycle = yield* Lifecycle
  const limits = yield* Limits
  const metrics = yield* Metrics

  // Module latencies reach the histogram from the engine itself, whatever the clients asked for.
  yield* Effect.acquireRelease(
    Effect.sync(() => engine.observeModules((_module, latencyMs) => metrics.recordModuleLatency(latencyMs / 1000))),
    (remove) => Effect.sync(remove)
  )

  const optionsOf = (request: ExecuteRequest, executionId: string, progress = request.progress) => ({
    executionId,
    progress,
    deadline: Duration.millis(Math.min(limits.deadlineMs, request.deadlineMs ?? Infinity)),
    signal: lifecycle.stopSignal,
    maxValueBytes: limits.maxValueBytes
  })

  // The fibers of launched executions, interrupted when the service's scope
  // closes; once it has, a launch runs nothing.
  const launched = new Forks(yield* Effect.runtime<never>())
  let closed = false
  yield* Effect.addFinalizer(() => Effect.suspend(() => {
    closed = true
    return launched.interruptAll
  }))

  /**
   * Takes an admission slot, or answers the refusal (counted). Called at the
   * start of an uninterruptible region that ends with the slot's release
   * guaranteed, so no interruption can lose it.
   */
  const take = (): Effect.Effect<never, OverCapacity | ShuttingDown> | undefined => {
    const refused = admission.unsafeTake()
    return refused === undefined ? undefined : Effect.zipRight(metrics.rejected(refused.code), Effect.fail(refused))
  }
  const release = Effect.sync(admission.unsafeRelease)

  /** Resolves and validates a launched execution; the transport is opened once both are done. */
  const prepareLaunch = (request: ExecuteRequest, mode: Mode, open: Parameters<ExecutionsShape["launch"]>[2]) =>
    Effect.flatMap(pipelines.resolve(request), (pipeline) => {
      const executionId = crypto.randomUUID()
      const ending = endTally(pipeline.dag.outputs.length)
      let transport: Transport | undefined
      const sink: EventSink = {
        unsafeOffer: (e) => transport!.sink.unsafeOffer(e) && (ending.add(e), true),
        offer: (e) => Effect.map(transport!.sink.offer(e), () => ending.add(e))
      }
      return Effect.map(
        Effect.mapError(engine.runWith(pipeline, request.inputs, sink, optionsOf(request, executionId)), invalidInputs),
        (execution) => {
          transport = open(executionId, pipeline.dag.outputs)
          return transport.around(Effect.onExit(execution, (exit) => metrics.executionFinished(mode, ending.status(exit))))
        }
      )
    })

  const launch: ExecutionsShape["launch"] = (request, mode, open) =>
    Effect.uninterruptibleMask((restore): Effect.Effect<Fiber.RuntimeFiber<void>, ExecuteError> => {
      const refused = take()
      if (refused !== undefined) return refused
      return restore(prepareLaunch(request, mode, open)).pipe(
        Effect.onError(() => release),
        Effect.map((execution) => {
          let ran = false
          const fiber = launched.fork(closed ? Effect.interrupt : Effect.suspend(() => {
            ran = true
            return Effect.ensuring(execution, release)
          }))
          // The service is closing and ran nothing: the slot is free at once.
          if (!ran) admission.unsafeRelease()
          return fiber
        })
      )
    })

  const runBatch = (request: ExecuteRequest) =>
    Effect.flatMap(pipelines.resolve(request), (pipeline) =>
      engine.run(pipeline, request.inputs, optionsOf(request, crypto.randomUUID(), false)).pipe(
        Effect.mapError(invalidInputs),
        Effect.onInterrupt(() => Effect.zipRight(metrics.clientDisconnected("batch"), metrics.executionFinished("batch", "cancelled"))),
        // A BatchResult is a BatchResponse as it stands (the same fields, values already JSON).
        Effect.tap((result) => metrics.executionFinished("batch", result.status))
      ))

  const batch: ExecutionsShape["batch"] = (request) =>
    Effect.uninterruptibleMask((restore): Effect.Effect<BatchResponse, ExecuteError> => {
      const refused = take()
      if (refused !== undefined) return refused
      return Effect.ensuring(restore(runBatch(request)), release)
    })

  return Executions.of({ launch, batch })
})

export const layer: Layer.Layer<Executions, never, Engine | Admission | Pipelines | Lifecycle | Limits | Metrics> = Layer
  .scoped(Executions, make)
