/**
 * Running a request, in two steps. `prepare` does everything that can fail
 * before anything runs (admission, the pipeline, input validation) and
 * returns a handle: the execution's id, its declared outputs, its log and
 * `cancel`. The transport attaches its reader to the log, then `start`s
 * it: no transport is called back from here. `batch` runs to the end and
 * folds the log into the batch result. Finished executions are counted by
 * mode and status, and traced (an `execution` span under the request's)
 * when the request is.
 */
import { Context, Duration, Effect, Exit, Fiber, Layer, Option } from "effect"
import type { Tracer } from "effect"
import type { InputError } from "../../lang/codec.js"
import { statusOf } from "../../runtime/BatchResult.js"
import type { BatchResult } from "../../runtime/BatchResult.js"
import { Engine } from "../../runtime/Engine.js"
import type { Execution } from "../../runtime/Execution.js"
import type { ErrorInfo } from "../../runtime/ExecutionEvent.js"
import type { ExecutionLog } from "../../runtime/ExecutionLog.js"
import { Forks } from "../../runtime/internal/Forks.js"
import { Admission } from "./Admission.js"
import type { ExecuteRequest } from "../../protocol/api.js"
import { codeOf, InvalidInputs } from "../HttpError.js"
import type { ExecuteError, OverCapacity, ShuttingDown, StoreUnavailable } from "../HttpError.js"
import { Lifecycle } from "../server/Lifecycle.js"
import { Limits } from "../server/Limits.js"
import { Metrics } from "../ops/Metrics.js"
import type { Mode } from "../ops/Metrics.js"
import { Pipelines } from "./Pipelines.js"
import { Retained } from "./Retained.js"
import type { RetainedExecution } from "./Retained.js"
import type { ExecutionMode } from "../../protocol/executions.js"
import { ServerConfig } from "../server/ServerConfig.js"
import { parentSpan, withExecutionSpan } from "./executionSpan.js"
import { claimId, Cluster } from "../cluster/Cluster.js"

/**
 * An execution admitted and ready: nothing runs until `start`. It holds an
 * admission slot until it has run, or `cancel` is called on it unstarted:
 * call one of them (in the same uninterruptible region as `prepare`).
 */
export interface ExecutionHandle {
  readonly executionId: string
  /** The declared outputs' names, in declaration order. */
  readonly outputs: ReadonlyArray<string>
  /** Where its events are numbered and kept: attach readers before `start`. */
  readonly log: ExecutionLog
  /** The service keeps it readable (`/executions/{id}`) from now until its retention ends. */
  readonly retained: RetainedExecution
  /** Completes once every instance sharing the store can find it (at once without a shared store). */
  readonly registered: Effect.Effect<void>
  /**
   * Runs it in a fiber of the service (interrupted when the service stops);
   * the slot is released when it ends. Interrupting the fiber interrupts
   * every module. Once only.
   */
  readonly start: () => Fiber.RuntimeFiber<void>
  /**
   * Interrupts what still runs, then ends the log with a final
   * `ExecutionFailed` carrying `error` (unless it has ended); frees the
   * slot of one never started.
   */
  readonly cancel: (error: ErrorInfo) => Effect.Effect<void>
}

export interface ExecutionsShape {
  /**
   * Admits, resolves and validates an execution without running it. Fails,
   * having taken nothing, for every problem known before running.
   */
  readonly prepare: (request: ExecuteRequest, mode: ExecutionMode) => Effect.Effect<ExecutionHandle, ExecuteError>
  /** Runs an execution to its end. */
  readonly batch: (request: ExecuteRequest) => Effect.Effect<BatchResult, ExecuteError>
}

export class Executions extends Context.Tag("@constellation/http/Executions")<Executions, ExecutionsShape>() {}

const noGiveBack = (): void => undefined
const noAdmission = Effect.succeed(noGiveBack)

export const invalidInputs = (e: InputError): InvalidInputs =>
  new InvalidInputs({ message: `The inputs do not match the pipeline: ${e.message}`, issues: e.issues })

export const make = Effect.gen(function*() {
  const engine = yield* Engine
  const admission = yield* Admission
  const pipelines = yield* Pipelines
  const lifecycle = yield* Lifecycle
  const limits = yield* Limits
  const metrics = yield* Metrics
  const retained = yield* Retained
  const cluster = yield* Cluster
  const { leaseMs } = yield* ServerConfig

  // Module latencies reach the histogram from the engine itself, whatever the clients asked for.
  yield* Effect.acquireRelease(
    Effect.sync(() => engine.observeModules((_module, latencyMs) => metrics.recordModuleLatency(latencyMs / 1000))),
    (remove) => Effect.sync(remove)
  )

  const optionsOf = (request: ExecuteRequest, progress = request.progress) => ({
    progress,
    deadline: Duration.millis(Math.min(limits.deadlineMs, request.deadlineMs ?? Infinity)),
    signal: lifecycle.stopSignal,
    maxValueBytes: limits.maxValueBytes
  })

  // The fibers of started executions, interrupted when the service's scope
  // closes; once it has, a start runs nothing.
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
    return refused === undefined ? undefined : Effect.zipRight(metrics.rejected(codeOf(refused)), Effect.fail(refused))
  }
  const release = Effect.sync(admission.unsafeRelease)
  /** The store's admission, the refusal counted (nothing to ask without a shared store). */
  const admitCluster = (id: string): Effect.Effect<() => void, OverCapacity | StoreUnavailable> =>
    cluster.kind === "memory" ? noAdmission : Effect.tapError(cluster.admit(id), (refused) => metrics.rejected(codeOf(refused)))

  const handleOf = (
    execution: Execution,
    request: ExecuteRequest,
    mode: ExecutionMode,
    parent: Option.Option<Tracer.AnySpan>,
    giveBack: () => void
  ): ExecutionHandle => {
    const { log } = execution
    let fiber: Fiber.RuntimeFiber<void> | undefined
    const cancel = (error: ErrorInfo) =>
      Effect.suspend(() => {
        if (fiber === undefined) {
          log.end(error)
          free()
          return Effect.void
        }
        // The modules are interrupted first; the final event then carries `error`.
        if (!log.finished) log.interruptReason = error
        return Effect.asVoid(Fiber.interrupt(fiber))
      })
    const kept = retained.add({
      executionId: execution.executionId,
      mode,
      onDisconnect: request.onDisconnect ?? (mode === "resource" ? "continue" : "cancel"),
      leaseMs: request.leaseMs ?? leaseMs,
      log
    }, { cancel })
    const tracked = cluster.track(kept)
    // The slot is held until the execution has run, or is given back by a cancel before it started.
    let slot = true
    const free = () => {
      if (slot) {
        slot = false
        admission.unsafeRelease()
        giveBack()
        retained.ended(kept)
      }
    }
    const statusAtEnd = (exit: Exit.Exit<void>) =>
      Exit.isSuccess(exit) ? statusOf(log.succeeded, log.outputs.length) : "cancelled"
    const counted = (exit: Exit.Exit<void>) => metrics.executionFinished(mode, statusAtEnd(exit))
    const freed = Effect.sync(free)
    const run = Option.isNone(parent)
      // Untraced: one region counts the end and frees the slot.
      ? Effect.onExit(execution.run, (exit) => Effect.zipRight(counted(exit), freed))
      : withExecutionSpan(
        Effect.onExit(execution.run, counted),
        parent,
        { executionId: execution.executionId, mode, outputs: execution.outputs },
        statusAtEnd
      ).pipe(Effect.ensuring(freed))
    return {
      executionId: execution.executionId,
      outputs: execution.outputs,
      log,
      retained: kept,
      registered: tracked.registered,
      start: () => {
        if (fiber !== undefined) return fiber
        let ran = false
        fiber = launched.fork(closed ? Effect.interrupt : Effect.suspend(() => {
          ran = true
          return run
        }))
        // The service is closing and ran nothing: the slot is free at once.
        if (!ran) free()
        return fiber
      },
      cancel
    }
  }

  const prepare: ExecutionsShape["prepare"] = (request, mode) =>
    Effect.uninterruptibleMask((restore): Effect.Effect<ExecutionHandle, ExecuteError> => {
      const refused = take()
      if (refused !== undefined) return refused
      return restore(Effect.flatMap(pipelines.resolve(request), (pipeline) =>
        Effect.mapError(engine.prepare(pipeline, request.inputs, optionsOf(request)), invalidInputs))).pipe(
          // The cluster-wide admission (and a reachable store), once the execution has its id.
          Effect.flatMap((execution) => Effect.map(admitCluster(execution.executionId), (giveBack) => [execution, giveBack] as const)),
          Effect.onError(() => release),
          // The request's span, if traced: the execution runs in a fiber of the service, not of the request.
          // (Not `Effect.zip`: in Effect 3 it goes through `Effect.all`, about 15 steps of the run loop.)
          Effect.flatMap(([execution, giveBack]) => Effect.map(parentSpan, (parent) => handleOf(execution, request, mode, parent, giveBack)))
        )
    })

  const runBatch = (request: ExecuteRequest) =>
    Effect.flatMap(pipelines.resolve(request), (pipeline) =>
      Effect.flatMap(parentSpan, (parent) =>
        withExecutionSpan(
          Effect.mapError(engine.run(pipeline, request.inputs, optionsOf(request, false)), invalidInputs),
          parent,
          { executionId: undefined, mode: "batch", outputs: undefined },
          (exit) => Exit.isSuccess(exit) ? exit.value.status : Exit.isInterrupted(exit) ? "cancelled" : "rejected",
          (result) => ({ executionId: result.executionId, outputs: Object.keys(result.outputStatus) })
        )))

  /** What a batch run's end counts: its status, or a client that left (an invalid request counts nothing). */
  const batchFinished = (exit: Exit.Exit<BatchResult, ExecuteError>): Effect.Effect<void> =>
    Exit.isSuccess(exit)
      ? metrics.executionFinished("batch", exit.value.status)
      : Exit.isInterrupted(exit)
      ? Effect.zipRight(metrics.clientDisconnected("batch"), metrics.executionFinished("batch", "cancelled"))
      : Effect.void

  /** Runs `request` with its slot taken (and the store's, `giveBack`): one region frees both and counts the end. */
  const runAdmitted = (
    restore: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E>,
    request: ExecuteRequest,
    giveBack: () => void
  ) =>
    Effect.onExit(restore(runBatch(request)), (exit) => {
      admission.unsafeRelease()
      giveBack()
      return batchFinished(exit)
    })

  const batch: ExecutionsShape["batch"] = (request) =>
    Effect.uninterruptibleMask((restore): Effect.Effect<BatchResult, ExecuteError> => {
      const refused = take()
      if (refused !== undefined) return refused
      // Without a shared store there is no cluster-wide admission to ask (nor a claim to name).
      if (cluster.kind === "memory") return runAdmitted(restore, request, noGiveBack)
      return Effect.flatMap(Effect.onError(restore(admitCluster(claimId())), () => release), (giveBack) =>
        runAdmitted(restore, request, giveBack))
    })

  return Executions.of({ prepare, batch })
})

export const layer: Layer.Layer<
  Executions,
  never,
  Engine | Admission | Pipelines | Lifecycle | Limits | Metrics | Retained | ServerConfig | Cluster
> = Layer
  .scoped(Executions, make)
