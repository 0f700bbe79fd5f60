/**
 * Every route of the service on one `HttpLayerRouter`, behind the
 * middleware (outermost first: CORS, the edge, API-key authentication),
 * with the Swagger UI of the API at `/docs`.
 */
import * as HttpApiSwagger from "@effect/platform/HttpApiSwagger"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Effect, Layer } from "effect"
import { Access } from "./Access.js"
import { ConstellationApi } from "./Api.js"
import { authenticate } from "./auth.js"
import { cors } from "./cors.js"
import { edge, methodTable } from "./edge.js"
import * as Compile from "./routes/compile.js"
import * as Docs from "./routes/docs.js"
import * as Examples from "./routes/examples.js"
import * as Execute from "./routes/execute.js"
import * as Health from "./routes/health.js"
import * as MetricsRoutes from "./routes/metrics.js"
import * as Modules from "./routes/modules.js"
import * as WebSocket from "./routes/websocket.js"
import * as Web from "../web/serve.js"

const routes = Layer.scopedDiscard(Effect.gen(function*() {
  const router = yield* HttpLayerRouter.HttpRouter
  const all = [
    ...(yield* Execute.routes),
    ...(yield* WebSocket.routes),
    ...(yield* Compile.routes),
    ...(yield* Modules.routes),
    ...(yield* Examples.routes),
    ...(yield* Health.routes),
    ...(yield* MetricsRoutes.routes),
    ...(yield* Docs.routes),
    ...(yield* Web.routes)
  ]
  const access = yield* Access
  yield* router.addAll(all)
  yield* router.addGlobalMiddleware(cors(access))
  yield* router.addGlobalMiddleware(edge(methodTable([...all, { method: "GET", path: Docs.DOCS_PATH }])))
  yield* router.addGlobalMiddleware(authenticate(access))
}))

/** The routes; they need the services of `server.ts`. */
export const layer = Layer.mergeAll(routes, HttpApiSwagger.layerHttpLayerRouter({ api: ConstellationApi, path: Docs.DOCS_PATH }))
