/**
 * `GET /openapi.json` (the OpenAPI document of `ConstellationApi`) and the
 * Swagger UI of the API at `/docs`. The Swagger UI (two megabytes of
 * script, about 12 MB of a server's memory once loaded) is loaded on the
 * first request for `/docs`, not at startup: most servers never serve it.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Layer, Scope } from "effect"
import { loadOnce } from "../../internal/loadOnce.js"
import { ConstellationApi, openApiDocument } from "./Api.js"

export const DOCS_PATH = "/docs"

/**
 * The Swagger UI's handler, made on first use in the router's scope (a
 * client leaving while it loads does not stop the load: see `loadOnce`).
 */
const swaggerUi = (scope: Scope.Scope) =>
  loadOnce(Effect.flatMap(
    Effect.promise(() => import("@effect/platform/HttpApiSwagger")),
    (HttpApiSwagger) =>
      // A router of its own (a fresh memo map: the server's would hand back the server's router).
      Effect.flatMap(Layer.makeMemoMap, (memoMap) =>
        HttpLayerRouter.toHttpEffect(HttpApiSwagger.layerHttpLayerRouter({ api: ConstellationApi, path: DOCS_PATH })).pipe(
          Scope.extend(scope),
          Effect.provideService(Layer.CurrentMemoMap, memoMap)
        ))
  ))

export const routes = Effect.gen(function*() {
  const response = HttpServerResponse.unsafeJson(openApiDocument())
  const ui = swaggerUi(yield* Effect.scope)
  return [
    HttpLayerRouter.route("GET", "/openapi.json", Effect.succeed(response)),
    HttpLayerRouter.route("GET", DOCS_PATH, Effect.flatten(ui))
  ] as const
})
