/**
 * The server's lifecycle: serving, then draining after a shutdown signal
 * (not ready, no new executions, running ones get a grace period), then
 * stopped.
 */
import { Context, Deferred, Duration, Effect, Layer } from "effect"
import type { Scope } from "effect"
import { StopSignalController } from "../../runtime/StopSignal.js"
import type { StopSignal } from "../../runtime/StopSignal.js"
import type { ErrorInfo } from "../../runtime/ExecutionEvent.js"
import { ServerConfig } from "./ServerConfig.js"

export interface LifecycleShape {
  /** False once a shutdown has begun. */
  readonly isReady: () => boolean
  /** Starts draining: readiness turns false and the grace period starts. Idempotent. */
  readonly beginShutdown: Effect.Effect<void>
  /** Completes when a shutdown begins. */
  readonly shutdownStarted: Effect.Effect<void>
  /**
   * Aborted `shutdownGraceMs` after a shutdown began, with the error that
   * ends every execution still running (`shutting_down`) as its reason.
   * A signal rather than an effect: an execution listens to it without a
   * fiber of its own.
   */
  readonly stopSignal: StopSignal
  /** Marks the drain as finished. */
  readonly markStopped: Effect.Effect<void>
  /** Completes when the drain has finished: the moment to close connections. */
  readonly stopped: Effect.Effect<void>
}

export class Lifecycle extends Context.Tag("@constellation/http/Lifecycle")<Lifecycle, LifecycleShape>() {}

/** The error of an execution ended by a shutdown. */
export const shuttingDownError: ErrorInfo = {
  code: "shutting_down",
  message: "the server is shutting down; the execution was stopped at the end of its grace period",
  module: null
}

/** The lifecycle; its scope owns the fiber that aborts `stopSignal` at the end of the grace period. */
export const make = (shutdownGraceMs: number): Effect.Effect<LifecycleShape, never, Scope.Scope> =>
  Effect.gen(function*() {
    const started = yield* Deferred.make<void>()
    const stopped = yield* Deferred.make<void>()
    // Every running execution listens to this one signal.
    const stop = new StopSignalController()
    yield* Deferred.await(started).pipe(
      Effect.zipRight(Effect.sleep(Duration.millis(shutdownGraceMs))),
      Effect.andThen(() => stop.abort(shuttingDownError)),
      Effect.forkScoped
    )
    let draining = false
    return {
      isReady: () => !draining,
      beginShutdown: Effect.suspend(() => {
        draining = true
        return Deferred.succeed(started, undefined)
      }).pipe(Effect.asVoid),
      shutdownStarted: Deferred.await(started),
      stopSignal: stop.signal,
      markStopped: Effect.asVoid(Deferred.succeed(stopped, undefined)),
      stopped: Deferred.await(stopped)
    }
  })

/** The lifecycle, its grace period from `ServerConfig`. */
export const layer: Layer.Layer<Lifecycle, never, ServerConfig> = Layer.scoped(
  Lifecycle,
  Effect.flatMap(ServerConfig, (config) => make(config.shutdownGraceMs))
)
