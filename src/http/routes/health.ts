/**
 * `GET /health` (the process is up) and `GET /health/ready` (it accepts
 * executions; 503 once a shutdown has begun, or while the shared store is
 * unreachable, saying why).
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { Admission } from "../executions/Admission.js"
import { ShuttingDown, StoreUnavailable } from "../HttpError.js"
import { Cluster } from "../cluster/Cluster.js"
import { Lifecycle } from "../server/Lifecycle.js"
import { Limits } from "../server/Limits.js"
import { respond } from "./respond.js"

export const routes = Effect.gen(function*() {
  const lifecycle = yield* Lifecycle
  const admission = yield* Admission
  const cluster = yield* Cluster
  const { retryAfterSeconds } = yield* Limits
  const notReady = new ShuttingDown({ message: "The server is shutting down and accepts no new executions.", retryAfterSeconds })
  return [
    HttpLayerRouter.route("GET", "/health", Effect.succeed(HttpServerResponse.unsafeJson({ status: "ok" }))),
    HttpLayerRouter.route(
      "GET",
      "/health/ready",
      respond(Effect.gen(function*() {
        if (!lifecycle.isReady()) return yield* notReady
        const down = cluster.down()
        if (down !== undefined) {
          return yield* new StoreUnavailable({ message: `The shared store (Redis) is unreachable: ${down}.`, retryAfterSeconds })
        }
        return HttpServerResponse.unsafeJson({
          status: "ready",
          activeExecutions: yield* admission.active,
          ...(cluster.kind === "memory" ? {} : { store: cluster.kind, instance: cluster.instanceId })
        })
      }))
    )
  ] as const
})
