/**
 * A real server on 127.0.0.1 (port 0) that serves the dashboard: the
 * service as `npm start` builds it when its router already mounts the
 * dashboard, otherwise the service's routes with the dashboard's added.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { appLayer, configLayer, nodeServerLayer, serverLayer } from "../../../src/http/server/server.js"
import * as Web from "../../../src/web/serve.js"

export interface DashboardServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly close: () => Promise<void>
}

const settings = configLayer.pipe(
  Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["HOST", "127.0.0.1"], ["PORT", "0"]]))))
)

const listen = async <E>(layer: Layer.Layer<HttpServer.HttpServer, E>): Promise<DashboardServer> => {
  const runtime = ManagedRuntime.make(layer)
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  return { url: `http://127.0.0.1:${address.port}`, close: () => runtime.dispose() }
}

const servesPage = async (url: string): Promise<boolean> => {
  const response = await fetch(`${url}/`)
  await response.arrayBuffer()
  return response.ok && (response.headers.get("content-type") ?? "").startsWith("text/html")
}

/** Starts the service with the dashboard on a free port of 127.0.0.1. */
export const startDashboardServer = async (): Promise<DashboardServer> => {
  const real = await listen(serverLayer({ quiet: true }).pipe(Layer.provideMerge(settings)))
  if (await servesPage(real.url)) return real
  await real.close()
  const composed = HttpLayerRouter.serve(Layer.mergeAll(appLayer, Web.layer), { disableLogger: true, disableListenLog: true }).pipe(
    Layer.provideMerge(nodeServerLayer),
    Layer.provideMerge(settings)
  )
  return listen(composed)
}
