/**
 * The HTTP service wired together: the standard library, the engine, the
 * compiler, the service's own parts, the routes and a Node HTTP server on
 * `HOST`:`PORT`. Every setting comes from `Config`.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import { Compiler } from "../lang/Compiler.js"
import { layerStdlib } from "../modules/stdlib/index.js"
import * as Engine from "../runtime/Engine.js"
import * as Scheduler from "../runtime/Scheduler.js"
import * as Admission from "./Admission.js"
import * as Examples from "./Examples.js"
import * as Executions from "./Executions.js"
import * as Lifecycle from "./Lifecycle.js"
import * as Limits from "./Limits.js"
import * as Metrics from "./Metrics.js"
import * as Pipelines from "./Pipelines.js"
import * as Router from "./Router.js"
import * as ServerConfig from "./ServerConfig.js"

/** The engine and the compiler over the standard library. */
export const runtimeLayer = Layer.mergeAll(Engine.layer, Compiler.layer).pipe(
  Layer.provideMerge(Layer.merge(layerStdlib, Scheduler.layer))
)

/** Everything the routes need, given the limits and the server settings. */
export const servicesLayer = Layer.mergeAll(Executions.layer, Examples.layer).pipe(
  Layer.provideMerge(Layer.mergeAll(Admission.layer, Pipelines.layer)),
  Layer.provideMerge(Layer.mergeAll(Lifecycle.layer, Metrics.layer, runtimeLayer)),
  Layer.provideMerge(NodeContext.layer)
)

/** The settings from the environment (`HOST`, `PORT`, the limits ...). */
export const configLayer = Layer.merge(Limits.layer, ServerConfig.layer)

/** The routes with their services; the settings are still to be provided. */
export const appLayer = Router.layer.pipe(Layer.provideMerge(servicesLayer))

/** A Node HTTP server on the configured host and port. */
export const nodeServerLayer = Layer.unwrapEffect(Effect.map(ServerConfig.ServerConfig, (config) =>
  NodeHttpServer.layer(createServer, { host: config.host, port: config.port })))

/**
 * The whole service, listening. Its output includes the services (the
 * lifecycle, for a graceful shutdown) and the `HttpServer` (its address).
 * The options turn off the per-request log line and the listening log.
 */
export const serverLayer = (options: { readonly quiet?: boolean } = {}) =>
  HttpLayerRouter.serve(appLayer, { disableLogger: options.quiet ?? false, disableListenLog: options.quiet ?? false }).pipe(
    Layer.provideMerge(nodeServerLayer)
  )
