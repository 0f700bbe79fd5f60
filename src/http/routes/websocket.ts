/**
 * `GET /execute/ws`: executions over a WebSocket (see `WsSession`).
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { Executions } from "../Executions.js"
import { UpgradeRequired } from "../HttpError.js"
import { Lifecycle } from "../Lifecycle.js"
import { Limits } from "../Limits.js"
import { Metrics } from "../Metrics.js"
import { respond } from "../respond.js"
import { runSession } from "../WsSession.js"

export const routes = Effect.gen(function*() {
  const ctx = {
    executions: yield* Executions,
    lifecycle: yield* Lifecycle,
    metrics: yield* Metrics,
    maxFrameBytes: (yield* Limits).maxBodyBytes
  }
  return [
    HttpLayerRouter.route(
      "GET",
      "/execute/ws",
      respond(Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const socket = yield* Effect.mapError(
          request.upgrade,
          () => new UpgradeRequired({ message: "This endpoint speaks WebSocket: send an Upgrade: websocket request." })
        )
        yield* ctx.metrics.openStream("websocket")
        yield* runSession(socket, ctx)
        return HttpServerResponse.empty()
      }))
    )
  ] as const
})
