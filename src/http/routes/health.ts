/**
 * `GET /health` (the process is up) and `GET /health/ready` (it accepts
 * executions; 503 once a shutdown has begun).
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { Admission } from "../executions/Admission.js"
import { ShuttingDown } from "../HttpError.js"
import { Lifecycle } from "../server/Lifecycle.js"
import { Limits } from "../server/Limits.js"
import { respond } from "./respond.js"

export const routes = Effect.gen(function*() {
  const lifecycle = yield* Lifecycle
  const admission = yield* Admission
  const { retryAfterSeconds } = yield* Limits
  const notReady = new ShuttingDown({ message: "The server is shutting down and accepts no new executions.", retryAfterSeconds })
  return [
    HttpLayerRouter.route("GET", "/health", Effect.succeed(HttpServerResponse.unsafeJson({ status: "ok" }))),
    HttpLayerRouter.route(
      "GET",
      "/health/ready",
      respond(Effect.gen(function*() {
        if (!lifecycle.isReady()) return yield* notReady
        return HttpServerResponse.unsafeJson({ status: "ready", activeExecutions: yield* admission.active })
      }))
    )
  ] as const
})
