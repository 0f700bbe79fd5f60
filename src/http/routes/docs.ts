/**
 * `GET /openapi.json` (the OpenAPI document of `ConstellationApi`); the
 * Swagger UI at `/docs` is added by `HttpApiSwagger` in `Router`.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { openApiDocument } from "./Api.js"

export const DOCS_PATH = "/docs"

export const routes = Effect.sync(() => {
  const response = HttpServerResponse.unsafeJson(openApiDocument())
  return [HttpLayerRouter.route("GET", "/openapi.json", Effect.succeed(response))] as const
})
