/**
 * Running a request: admission, the pipeline, input validation and the
 * engine's options (deadline, shutdown stop, buffering), shared by the
 * batch, SSE and WebSocket transports. Every problem known before anything
 * runs is a typed error; once running, the execution reports through its
 * events. Finished executions are counted by mode and status.
 */
import { Clock, Context, Duration, Effect, Exit, Layer, Stream } from "effect"
import type { Scope } from "effect"
import type { InputError } from "../lang/codec.js"
import { BatchCollector } from "../runtime/BatchResult.js"
import { Engine } from "../runtime/Engine.js"
import { isResultEvent } from "../runtime/ExecutionEvent.js"
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

/** How many events a batch execution buffers: its consumer is in-process and fast. */
const BATCH_BUFFER = 256

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

  const optionsOf = (request: ExecuteRequest, executionId: string) => ({
    executionId,
    // Module events always flow, for the latency histogram; `publish` drops them for clients that did not ask.
    progress: true,
    deadline: Duration.millis(Math.min(limits.deadlineMs, request.deadlineMs ?? Infinity)),
    stop: lifecycle.stopSignal
  })

  /**
   * Observes module latencies, keeps only what the client asked for
   * (numbering the kept events again, from 0), and counts the execution
   * when its events end: by outcome, or `cancelled` when stopped before its
   * last event.
   */
  const publish = (mode: Mode, request: ExecuteRequest, outputs: ReadonlyArray<string>, events: Stream.Stream<ExecutionEvent>) =>
    Stream.suspend(() => {
      const collector = new BatchCollector(outputs)
      let finished = false
      let seq = 0
      return events.pipe(
        Stream.tap((e) =>
          Effect.suspend(() => {
            collector.add(e)
            if (isFinalEvent(e)) finished = true
            return e._tag === "ModuleCompleted" || e._tag === "ModuleFailed"
              ? metrics.observeModuleLatency(e.latencyMs / 1000)
              : Effect.void
          })
        ),
        Stream.filter((e) => request.progress || isResultEvent(e)),
        Stream.map((e): ExecutionEvent => (request.progress ? e : { ...e, seq: seq++ })),
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
      return { executionId, outputs, events: publish(mode, request, outputs, events) }
    })

  const start: ExecutionsShape["start"] = (request, mode) => prepare(request, mode, request.maxBuffered)

  const batch: ExecutionsShape["batch"] = (request) =>
    Effect.scoped(Effect.gen(function*() {
      const started = yield* prepare({ ...request, progress: false }, "batch", BATCH_BUFFER)
      const collector = new BatchCollector(started.outputs)
      const begin = yield* Clock.currentTimeMillis
      yield* Stream.runForEach(started.events, (e) => Effect.sync(() => collector.add(e))).pipe(
        Effect.onInterrupt(() => metrics.clientDisconnected("batch"))
      )
      const result = collector.result(started.executionId, (yield* Clock.currentTimeMillis) - begin)
      return {
        executionId: result.executionId,
        status: result.status,
        outputs: result.outputs,
        errors: result.errors,
        durationMs: result.durationMs
      }
    }))

  return Executions.of({ start, batch })
})

export const layer: Layer.Layer<Executions, never, Engine | Admission | Pipelines | Lifecycle | Limits | Metrics> = Layer
  .effect(Executions, make)
