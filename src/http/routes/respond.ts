/**
 * The edge of a route handler: its typed errors become JSON error
 * responses carrying the request id.
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { toResponse } from "../HttpError.js"
import type { HttpError } from "../HttpError.js"
import * as RequestId from "./requestId.js"

export const respond = <E extends HttpError, R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest> =>
  Effect.catchAll(handler, (error) => Effect.map(RequestId.current, (id) => toResponse(error, id)))
