/**
 * Every route of the service on one `HttpLayerRouter`, behind the
 * middleware (outermost first: CORS, the edge, API-key authentication),
 * with the Swagger UI of the API at `/docs`.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Effect, Layer } from "effect"
import { Access } from "../security/Access.js"
import { authenticate, eventTokens } from "../security/auth.js"
import { cors } from "../security/cors.js"
import { edge, methodTable } from "./middleware.js"
import * as Compile from "./compile.js"
import * as Docs from "./docs.js"
import * as Examples from "./examples.js"
import * as Execute from "./execute.js"
import * as ExecutionRoutes from "./executions.js"
import { Retained } from "../executions/Retained.js"
import * as Health from "./health.js"
import * as MetricsRoutes from "./metrics.js"
import * as Modules from "./modules.js"
import * as WebSocket from "./websocket.js"
import * as Web from "../../web/serve.js"

const routes = Layer.scopedDiscard(Effect.gen(function*() {
  const router = yield* HttpLayerRouter.HttpRouter
  const all = [
    ...(yield* Execute.routes),
    ...(yield* ExecutionRoutes.routes),
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
  yield* router.addGlobalMiddleware(edge(methodTable(all)))
  yield* router.addGlobalMiddleware(authenticate(access, eventTokens(yield* Retained)))
}))

/** The routes; they need the services of `server.ts`. */
export const layer = routes
