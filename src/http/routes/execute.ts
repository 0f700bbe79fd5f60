/**
 * `POST /execute` (batch, or an event stream when the client accepts
 * `text/event-stream`) and `POST /execute/stream` (Server-Sent Events).
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { ExecuteRequest } from "../../protocol/api.js"
import { jsonBody } from "./requestBody.js"
import { Executions } from "../executions/Executions.js"
import { Retained } from "../executions/Retained.js"
import { Limits } from "../server/Limits.js"
import { Metrics } from "../ops/Metrics.js"
import { respond } from "./respond.js"
import { ServerConfig } from "../server/ServerConfig.js"
import { acceptsEventStream, eventStreamResponse } from "../sse/eventStreamResponse.js"

export const routes = Effect.gen(function*() {
  const executions = yield* Executions
  const retained = yield* Retained
  const metrics = yield* Metrics
  const { maxBodyBytes } = yield* Limits
  const { heartbeatIntervalMs } = yield* ServerConfig
  const readRequest = jsonBody(ExecuteRequest, maxBodyBytes)

  const stream = (request: ExecuteRequest) => eventStreamResponse(executions, retained, request, { heartbeatIntervalMs, metrics })

  const batch = (request: ExecuteRequest) =>
    Effect.map(executions.batch(request), (result) =>
      HttpServerResponse.unsafeJson(result, { headers: { "x-execution-id": result.executionId } }))

  return [
    HttpLayerRouter.route(
      "POST",
      "/execute",
      respond(Effect.flatMap(readRequest, (request) =>
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (http) =>
          acceptsEventStream(http.headers["accept"]) ? stream(request) : batch(request))))
    ),
    HttpLayerRouter.route("POST", "/execute/stream", respond(Effect.flatMap(readRequest, stream)))
  ] as const
})
