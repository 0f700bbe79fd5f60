/**
 * Running a request: admission, the pipeline, input validation and the
 * engine's options (deadline, shutdown stop, buffering), shared by the
 * batch, SSE and WebSocket transports. Every problem known before anything
 * runs is a typed error; once running, the execution reports through its
 * events. Finished executions are counted by mode and status.
 */
import { Context, Duration, Effect, Exit, Layer, Stream } from "effect"
import type { Scope } from "effect"
import type { InputError } from "../lang/codec.js"
import { BatchCollector } from "../runtime/BatchResult.js"
import { Engine } from "../runtime/Engine.js"
import type { ExecutionEvent } from "../runtime/ExecutionEvent.js"
import { Admission } from "./Admission.js"
import type { BatchResponse, ExecuteRequest } from "./ApiModels.js"
import { InvalidInputs } from "./HttpError.js"
import type { ExecuteError } from "./HttpError.js"
import { Lifecycle } from "./Lifecycle.js"
import { Limits } from "./Limits.js"
import { Metrics } from "./Metrics.js"
import type { ExecutionStatus, Mode } from "./Metrics.js"
import { Pipelines } from "./Pipelines.js"
import { isFinalEvent } from "./WireEvent.js"

/** An admitted, validated execution whose events have not started flowing yet. */
export interface Started {
  readonly executionId: string
  /** The declared outputs, in order. */
  readonly outputs: ReadonlyArray<string>
  /** Runs the execution when pulled; stopping early interrupts every module. */
  readonly events: Stream.Stream<ExecutionEvent>
}

export interface ExecutionsShape {
  /** Prepares a streamed execution; its admission slot is held until the scope closes. */
  readonly start: (request: ExecuteRequest, mode: "stream" | "websocket") => Effect.Effect<Started, ExecuteError, Scope.Scope>
  /** Runs an execution to its end. */
  readonly batch: (request: ExecuteRequest) => Effect.Effect<BatchResponse, ExecuteError>
}

export class Executions extends Context.Tag("@constellation/http/Executions")<Executions, ExecutionsShape>() {}

export const invalidInputs = (e: InputError): InvalidInputs =>
  new InvalidInputs({ message: `The inputs do not match the pipeline: ${e.message}`, issues: e.issues })

export const make = Effect.gen(function*() {
  const engine = yield* Engine
  const admission = yield* Admission
  const pipelines = yield* Pipelines
  const lifecycle = yield* Lifecycle
  const limits = yield* Limits
  const metrics = yield* Metrics

  const admit = admission.admit.pipe(Effect.tapError((e) => metrics.rejected(e.code)))

  // Module latencies reach the histogram from the engine itself, whatever the clients asked for.
  yield* Effect.acquireRelease(
    Effect.sync(() => engine.observeModules((_module, latencyMs) => metrics.recordModuleLatency(latencyMs / 1000))),
    (remove) => Effect.sync(remove)
  )

  const optionsOf = (request: ExecuteRequest, executionId: string) => ({
    executionId,
    progress: request.progress,
    deadline: Duration.millis(Math.min(limits.deadlineMs, request.deadlineMs ?? Infinity)),
    stop: lifecycle.stopSignal
  })

  /** Counts the execution when its events end: by outcome, or `cancelled` when stopped before its last event. */
  const publish = (mode: Mode, outputs: ReadonlyArray<string>, events: Stream.Stream<ExecutionEvent>) =>
    Stream.suspend(() => {
      const collector = new BatchCollector(outputs)
      let finished = false
      return events.pipe(
        Stream.tap((e) =>
          Effect.sync(() => {
            collector.add(e)
            if (isFinalEvent(e)) finished = true
          })
        ),
        Stream.ensuringWith((exit) => {
          const status: ExecutionStatus = finished && Exit.isSuccess(exit) ? collector.result("", 0).status : "cancelled"
          return metrics.executionFinished(mode, status)
        })
      )
    })

  const prepare = (request: ExecuteRequest, mode: Mode, maxBuffered: number | undefined) =>
    Effect.gen(function*() {
      yield* admit
      const pipeline = yield* pipelines.resolve(request)
      const executionId = crypto.randomUUID()
      const events = yield* Effect.mapError(
        engine.runStreaming(pipeline, request.inputs, { ...optionsOf(request, executionId), maxBuffered }),
        invalidInputs
      )
      const outputs = pipeline.dag.outputs.map((o) => o.name)
      return { executionId, outputs, events: publish(mode, outputs, events) }
    })

  const start: ExecutionsShape["start"] = (request, mode) => prepare(request, mode, request.maxBuffered)

  const batch: ExecutionsShape["batch"] = (request) =>
    Effect.scoped(Effect.gen(function*() {
      yield* admit
      const pipeline = yield* pipelines.resolve(request)
      const result = yield* engine.run(pipeline, request.inputs, optionsOf({ ...request, progress: false }, crypto.randomUUID())).pipe(
        Effect.mapError(invalidInputs),
        Effect.onInterrupt(() => Effect.zipRight(metrics.clientDisconnected("batch"), metrics.executionFinished("batch", "cancelled")))
      )
      yield* metrics.executionFinished("batch", result.status)
      return {
        executionId: result.executionId,
        status: result.status,
        outputs: result.outputs,
        errors: result.errors,
        outputStatus: result.outputStatus,
        durationMs: result.durationMs
      }
    }))

  return Executions.of({ start, batch })
})

export const layer: Layer.Layer<Executions, never, Engine | Admission | Pipelines | Lifecycle | Limits | Metrics> = Layer
  .scoped(Executions, make)
