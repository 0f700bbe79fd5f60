/**
 * Cross-origin requests from browsers: closed unless `CORS_ORIGINS` lists
 * the page's origin. An allowed origin gets `Access-Control-*` headers on
 * every answer and its preflight `OPTIONS` a 204; any other gets no such
 * header (its preflight falls through to the routes, which do not answer
 * OPTIONS). A WebSocket opened by a page from another, not allowed origin
 * is refused (403): browsers do not apply CORS to WebSockets.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Effect } from "effect"
import type { AccessShape } from "./Access.js"
import { Forbidden, toResponse } from "../HttpError.js"
import * as RequestId from "../routes/requestId.js"

const ALLOW_METHODS = "GET, HEAD, POST"
const ALLOW_HEADERS = "authorization, content-type, accept, x-request-id, last-event-id"
const EXPOSE_HEADERS = "x-request-id, x-execution-id, retry-after, www-authenticate"
const MAX_AGE_SECONDS = "600"

/** Whether `origin` names the host the request was sent to (a page of the server itself). */
const isSameOrigin = (origin: string, host: string | undefined): boolean => {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase()
  } catch {
    return false
  }
}

const allowedHeaders = (origin: string): Record<string, string> => ({
  "access-control-allow-origin": origin,
  "access-control-expose-headers": EXPOSE_HEADERS,
  vary: "origin"
})

/** The middleware; outside the edge, so even its 404s and 500s carry the headers. */
export const cors = (access: AccessShape) =>
(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, HttpLayerRouter.unhandled>
): Effect.Effect<HttpServerResponse.HttpServerResponse, HttpLayerRouter.unhandled, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const origin = request.headers["origin"]
    if (origin === undefined) return app
    const allowed = access.allowsOrigin(origin)
    if (!allowed && (request.headers["upgrade"] ?? "").toLowerCase() === "websocket" && !isSameOrigin(origin, request.headers["host"])) {
      const error = new Forbidden({ message: "WebSockets from this origin are not allowed (see CORS_ORIGINS)." })
      const id = RequestId.fromHeader(request.headers[RequestId.HEADER])
      return Effect.succeed(HttpServerResponse.setHeader(toResponse(error, id), RequestId.HEADER, id))
    }
    if (!allowed) return app
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
      return Effect.succeed(HttpServerResponse.empty({
        status: 204,
        headers: {
          ...allowedHeaders(origin),
          "access-control-allow-methods": ALLOW_METHODS,
          "access-control-allow-headers": ALLOW_HEADERS,
          "access-control-max-age": MAX_AGE_SECONDS
        }
      }))
    }
    return Effect.map(app, (response) => HttpServerResponse.setHeaders(response, allowedHeaders(origin)))
  })
