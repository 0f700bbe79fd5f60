/**
 * The real server for the reliability suites: listening on 127.0.0.1 (a
 * free port), every setting (including the engine's and access control's)
 * read from the given environment map, optional extra modules, and every
 * warning or error it logs captured for the tests to inspect.
 */
import { sample } from "../../support/metrics.js"
import * as HttpServer from "@effect/platform/HttpServer"
import { Cause, ConfigProvider, Effect, Layer, Logger, LogLevel, ManagedRuntime } from "effect"
import type { Module } from "../../../src/modules/Module.js"
import { Engine } from "../../../src/runtime/Engine.js"
import type { SchedulerStats } from "../../../src/runtime/Scheduler.js"
import { configLayer, serverLayer } from "../../../src/http/server/server.js"
import { drain } from "../../../src/http/server/shutdown.js"

export type Env = Readonly<Record<string, string>>

export interface LogLine {
  readonly level: string
  readonly message: string
}

export interface ReliabilityServer {
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  /** Warnings and errors the server logged, in order. */
  readonly logs: ReadonlyArray<LogLine>
  /** The engine's own counters (modules running, executions active ...). */
  readonly engine: () => Promise<SchedulerStats>
  /** One sample of `GET /metrics`, e.g. `constellation_active_executions` or `x{transport="sse"}`. */
  readonly metric: (name: string) => Promise<number>
  readonly drain: () => Promise<void>
  readonly close: () => Promise<void>
}

const messageOf = (message: unknown): string =>
  Array.isArray(message) ? message.map((m) => (typeof m === "string" ? m : safeJson(m))).join(" ") : String(message)

const safeJson = (u: unknown): string => {
  try {
    return JSON.stringify(u) ?? String(u)
  } catch {
    return "[unprintable]"
  }
}

const describeCause = (cause: Cause.Cause<unknown>): string => {
  try {
    return Cause.pretty(cause).split("\n").slice(0, 8).join(" | ")
  } catch (e) {
    return `unprintable (${e instanceof Error ? e.message : "?"})`
  }
}

export { sample }

export const startServer = async (
  options: { readonly env?: Env; readonly modules?: ReadonlyArray<Module<never>> } = {}
): Promise<ReliabilityServer> => {
  const logs: Array<LogLine> = []
  const capture = Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message, cause }) => {
      if (LogLevel.greaterThanEqual(logLevel, LogLevel.Warning)) {
        logs.push({ level: logLevel.label, message: `${messageOf(message)}${cause._tag === "Empty" ? "" : ` (cause: ${describeCause(cause)})`}` })
      }
    })
  )
  // RELIABILITY_REDIS_URL runs the suites with the Redis store (test/cluster/reliability.test.ts does at a smaller size).
  const store = process.env["RELIABILITY_REDIS_URL"]
  const env = new Map(Object.entries({
    HOST: "127.0.0.1",
    PORT: "0",
    EXAMPLES_DIR: "examples",
    ...(store === undefined || store === "" ? {} : { REDIS_URL: store, REDIS_KEY_PREFIX: `rel${Date.now()}${Math.random().toString(36).slice(2, 6)}:` }),
    ...options.env
  }))
  const layer = serverLayer({ quiet: true, ...(options.modules === undefined ? {} : { modules: options.modules }) }).pipe(
    Layer.provideMerge(configLayer),
    Layer.provide(Layer.merge(Layer.setConfigProvider(ConfigProvider.fromMap(env)), capture))
  )
  const runtime = ManagedRuntime.make(layer)
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  const url = `http://127.0.0.1:${address.port}`
  return {
    url,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    port: address.port,
    logs,
    engine: () => runtime.runPromise(Effect.map(Engine, (engine) => engine.stats())),
    metric: async (name) => sample(await (await fetch(`${url}/metrics`)).text(), name),
    drain: () => runtime.runPromise(drain),
    close: () => runtime.dispose()
  }
}
