/**
 * Test servers: the real server layer listening on 127.0.0.1 with a free
 * port, or the same routes as an in-process web handler. Settings are
 * given as environment variables (`{ SHUTDOWN_GRACE_MS: "200" }`), read
 * through `Config` like in production.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { Lifecycle } from "../../../src/http/server/Lifecycle.js"
import { appLayer, configLayer, serverLayer } from "../../../src/http/server/server.js"
import { drain } from "../../../src/http/server/shutdown.js"

export type Env = Readonly<Record<string, string>>

const settings = (env: Env) =>
  configLayer.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))))

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string
  /** Runs an effect against the server's services (metrics, lifecycle ...). */
  readonly run: <A, E>(effect: Effect.Effect<A, E, Lifecycle | HttpServer.HttpServer>) => Promise<A>
  /** The graceful shutdown of SIGTERM: drains, then the server may be closed. */
  readonly drain: () => Promise<void>
  /** Closes the server (and every connection's execution). */
  readonly close: () => Promise<void>
}

/** Starts the real server on 127.0.0.1, port 0 (a free one). */
export const startServer = async (env: Env = {}): Promise<TestServer> => {
  const layer = serverLayer({ quiet: true }).pipe(
    Layer.provideMerge(settings({ HOST: "127.0.0.1", PORT: "0", ...env }))
  )
  const runtime = ManagedRuntime.make(layer)
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  const host = `127.0.0.1:${address.port}`
  return {
    url: `http://${host}`,
    wsUrl: `ws://${host}`,
    run: (effect) => runtime.runPromise(effect),
    drain: () => runtime.runPromise(drain),
    close: () => runtime.dispose()
  }
}

export interface TestApp {
  /** Sends a request to the routes in-process; `path` is like `/execute`. */
  readonly fetch: (path: string, init?: RequestInit) => Promise<Response>
  readonly dispose: () => Promise<void>
}

/** The routes as an in-process web handler (no socket). */
export const makeApp = (env: Env = {}): TestApp => {
  const { handler, dispose } = HttpLayerRouter.toWebHandler(appLayer.pipe(Layer.provide(settings(env))), {
    disableLogger: true
  })
  return { fetch: (path, init) => handler(new Request(`http://app.test${path}`, init)), dispose }
}
