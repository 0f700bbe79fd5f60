/**
 * The graceful shutdown: readiness turns false and new executions are
 * refused (503), running executions get the grace period and then end with
 * a final `shutting_down` error event; the drain completes when none is
 * left (or, as a safety net, shortly after the grace period).
 */
import { Duration, Effect } from "effect"
import { Admission } from "../executions/Admission.js"
import { Lifecycle } from "./Lifecycle.js"
import { ServerConfig } from "./ServerConfig.js"

/** How long after the grace period the drain waits for the last events to be written. */
const FLUSH_MARGIN_MS = 5_000

export const drain: Effect.Effect<void, never, Lifecycle | Admission | ServerConfig> = Effect.gen(function*() {
  const lifecycle = yield* Lifecycle
  const admission = yield* Admission
  const { shutdownGraceMs } = yield* ServerConfig
  yield* Effect.logInfo(`Shutting down: ${yield* admission.active} executions running, grace period ${shutdownGraceMs} ms`)
  yield* lifecycle.beginShutdown
  yield* admission.awaitIdle.pipe(Effect.timeout(Duration.millis(shutdownGraceMs + FLUSH_MARGIN_MS)), Effect.ignore)
  yield* lifecycle.markStopped
  yield* Effect.logInfo("Drained: closing the server")
})
