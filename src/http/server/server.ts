/**
 * The HTTP service wired together: the standard library, the engine, the
 * compiler, the service's own parts, the routes, tracing when configured
 * and a Node HTTP server on `HOST`:`PORT`. Every setting comes from `Config`.
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import { Compiler } from "../../lang/Compiler.js"
import type { Module } from "../../modules/Module.js"
import type { ModuleRegistry } from "../../modules/ModuleRegistry.js"
import * as Stdlib from "../../modules/stdlib/index.js"
import * as Engine from "../../runtime/Engine.js"
import * as Scheduler from "../../runtime/Scheduler.js"
import * as ModuleCache from "../../runtime/ModuleCache.js"
import * as Access from "../security/Access.js"
import * as Admission from "../executions/Admission.js"
import * as Store from "../cluster/layer.js"
import * as ClusterConfig from "../cluster/ClusterConfig.js"
import { answerClientErrors } from "./malformedRequests.js"
import { watchConnectionErrors } from "./connectionErrors.js"
import * as Examples from "../executions/Examples.js"
import { holdUntilServed } from "./holdUntilServed.js"
import * as Executions from "../executions/Executions.js"
import * as Lifecycle from "./Lifecycle.js"
import * as Limits from "./Limits.js"
import { fromServeError } from "./ListenError.js"
import * as Metrics from "../ops/Metrics.js"
import * as Pipelines from "../executions/Pipelines.js"
import * as Retained from "../executions/Retained.js"
import * as Tracing from "../ops/Tracing.js"
import * as Router from "../routes/Router.js"
import * as ServerConfig from "./ServerConfig.js"

/** The engine and the compiler over a module registry. */
export const runtimeLayerWith = <E, R>(registry: Layer.Layer<ModuleRegistry, E, R>) =>
  Layer.mergeAll(Engine.layer, Compiler.layer).pipe(Layer.provideMerge(Layer.mergeAll(registry, Scheduler.layer, ModuleCache.layer)))

/** The engine and the compiler over the standard library. */
export const runtimeLayer = runtimeLayerWith(Stdlib.layerStdlib)

/** Everything the routes need over a module registry, given the limits and the server settings. */
export const servicesLayerWith = <E, R>(registry: Layer.Layer<ModuleRegistry, E, R>) =>
  Layer.mergeAll(Executions.layer, Examples.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(Admission.layer, Pipelines.layer)),
    // The store (in memory, or Redis with REDIS_URL) reaches the executions kept here.
    Layer.provideMerge(Store.layer),
    Layer.provideMerge(Retained.layer),
    Layer.provideMerge(Layer.mergeAll(Lifecycle.layer, Metrics.layer, Access.layer, runtimeLayerWith(registry))),
    Layer.provideMerge(NodeContext.layer)
  )

/** Everything the routes need, given the limits and the server settings. */
export const servicesLayer = servicesLayerWith(Stdlib.layerStdlib)

/** The settings from the environment (`HOST`, `PORT`, the limits, tracing, the shared store ...). */
export const configLayer = Layer.mergeAll(Limits.layer, ServerConfig.layer, Tracing.layerConfig, ClusterConfig.layer)

/** The routes with their services over a module registry; the settings are still to be provided. */
export const appLayerWith = <E, R>(registry: Layer.Layer<ModuleRegistry, E, R>) =>
  Router.layer.pipe(Layer.provideMerge(servicesLayerWith(registry)))

/** The routes with their services; the settings are still to be provided. */
export const appLayer = appLayerWith(Stdlib.layerStdlib)

/**
 * How long a client may take to send a request's headers, and the whole
 * request (not the answer: streams last as long as they need), in
 * milliseconds: a client trickling bytes cannot hold a connection forever.
 */
export const HEADERS_TIMEOUT_MS = 10_000
export const REQUEST_TIMEOUT_MS = 30_000

/**
 * A Node HTTP server on the configured host and port. Requests too
 * malformed to route get a JSON 400; a request without `Host` is routed
 * like any other (Node would answer it with a bare 400); a request that
 * arrives while the routes are still being attached is held until they
 * are (see `holdUntilServed.ts`). Failing to listen is a `ListenError`.
 */
export const nodeServerLayer = Layer.unwrapEffect(Effect.map(
  Effect.all([ServerConfig.ServerConfig, Limits.Limits]),
  ([config, limits]) =>
    NodeHttpServer.layer(
      () =>
        holdUntilServed(
          watchConnectionErrors(answerClientErrors(createServer({
            requireHostHeader: false,
            headersTimeout: HEADERS_TIMEOUT_MS,
            requestTimeout: REQUEST_TIMEOUT_MS,
            connectionsCheckingInterval: 1_000
          }))),
          { retryAfterSeconds: limits.retryAfterSeconds }
        ),
      { host: config.host, port: config.port }
    ).pipe(Layer.mapError((e) => fromServeError(e, config)))
))

/**
 * Headers a request span records as `<redacted>`: the platform's own
 * (`authorization`, `cookie`, `set-cookie`, `x-api-key`) and the WebSocket
 * subprotocols, where a browser offers its API key (`bearer.<key>`).
 */
export const REDACTED_HEADERS: ReadonlyArray<string> = [
  "authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "sec-websocket-protocol"
]

/**
 * The whole service, listening. Its output includes the services (the
 * lifecycle, for a graceful shutdown) and the `HttpServer` (its address).
 * `quiet` turns off the listening log and the per-request log (which
 * `LOG_REQUESTS` turns on);
 * `modules` are served next to the standard library. Requests are traced
 * (a span each, the incoming `traceparent` honoured) when an OTLP endpoint
 * is configured or `TRACE_REQUESTS` is on; otherwise no span is made.
 */
export const serverLayer = (
  options: { readonly quiet?: boolean; readonly modules?: ReadonlyArray<Module<never>> } = {}
) =>
  Layer.unwrapEffect(Effect.map(Effect.all([ServerConfig.ServerConfig, Tracing.TracingConfig]), ([config, tracing]) => {
    const traced = config.traceRequests || Tracing.enabled(tracing)
    const served = HttpLayerRouter.serve(
      options.modules === undefined ? appLayer : appLayerWith(Stdlib.layerWith(options.modules)),
      { disableLogger: options.quiet === true || !config.logRequests, disableListenLog: options.quiet ?? false }
    ).pipe(HttpMiddleware.withTracerDisabledWhen(() => !traced))
    // The redaction list matters only to request spans; set untraced, it cost
    // about 10% of the CPU per stream (docs/operations.md).
    return traced ? Layer.locally(served, Headers.currentRedactedNames, REDACTED_HEADERS) : served
  })).pipe(Layer.provide(Tracing.layer), Layer.provideMerge(nodeServerLayer))
