/**
 * Where the server listens and how it paces streams and shutdown.
 */
import { Config, Context, Layer } from "effect"
import type { ConfigError } from "effect"
import { integerAtLeast } from "./configValues.js"

export interface ServerConfigShape {
  /** The interface to listen on (`HOST`, 127.0.0.1). */
  readonly host: string
  /** The port to listen on; 0 picks a free one (`PORT`, 8080). */
  readonly port: number
  /** Quiet time after which a stream sends a `: keepalive` comment, and the WebSocket ping interval, in milliseconds (`HEARTBEAT_INTERVAL_MS`, 15 s). */
  readonly heartbeatIntervalMs: number
  /** How long running executions may continue after a shutdown begins, in milliseconds (`SHUTDOWN_GRACE_MS`, 10 s). */
  readonly shutdownGraceMs: number
  /** The directory of example pipelines served at `/examples` (`EXAMPLES_DIR`, `examples`). */
  readonly examplesDir: string
  /**
   * Tracing spans per HTTP request, execution and module attempt, for an
   * installed tracer such as OpenTelemetry (`TRACE_REQUESTS`, false: without
   * one, the spans are made and dropped, at a cost on every request).
   * Setting `OTEL_EXPORTER_OTLP_ENDPOINT` turns them on too (ops/Tracing.ts).
   */
  readonly traceRequests: boolean
  /**
   * A log entry per HTTP response (method, URL, status, duration), written
   * by `@effect/platform`'s logger (`LOG_REQUESTS`, false). Off by default:
   * it is written synchronously to stdout, and cost about 8% of the
   * server's CPU per stream (docs/operations.md).
   */
  readonly logRequests: boolean
  /**
   * How long an execution that goes on without a listener (`onDisconnect:
   * "continue"`) waits for one before it is cancelled, in milliseconds, when
   * the request names no `leaseMs` (`EXECUTION_LEASE_MS`, 30 s).
   */
  readonly leaseMs: number
  /** The `retry:` interval an event stream of `GET /executions/{id}/events` asks an `EventSource` to reconnect after, in milliseconds (`SSE_RETRY_MS`, 1 s). */
  readonly sseRetryMs: number
}

export class ServerConfig extends Context.Tag("@constellation/http/ServerConfig")<ServerConfig, ServerConfigShape>() {}

export const defaults: ServerConfigShape = {
  host: "127.0.0.1",
  port: 8080,
  heartbeatIntervalMs: 15_000,
  shutdownGraceMs: 10_000,
  examplesDir: "examples",
  traceRequests: false,
  logRequests: false,
  leaseMs: 30_000,
  sseRetryMs: 1_000
}

/** The server settings read from the environment, each with its default. */
export const config: Config.Config<ServerConfigShape> = Config.all({
  host: Config.string("HOST").pipe(Config.withDefault(defaults.host), Config.withDescription("Interface to listen on.")),
  port: Config.integer("PORT").pipe(
    Config.validate({ message: "PORT must be a port number from 0 to 65535", validation: (n) => n >= 0 && n <= 65_535 }),
    Config.withDefault(defaults.port),
    Config.withDescription("Port to listen on (0 picks a free port).")
  ),
  heartbeatIntervalMs: integerAtLeast(
    "HEARTBEAT_INTERVAL_MS",
    1,
    defaults.heartbeatIntervalMs,
    "Quiet time before a stream sends a keepalive comment, and how often a WebSocket is pinged, in milliseconds."
  ),
  shutdownGraceMs: integerAtLeast(
    "SHUTDOWN_GRACE_MS",
    0,
    defaults.shutdownGraceMs,
    "How long running executions may finish after SIGTERM, in milliseconds."
  ),
  examplesDir: Config.string("EXAMPLES_DIR").pipe(
    Config.withDefault(defaults.examplesDir),
    Config.withDescription("Directory of example pipelines (*.cst) served at /examples.")
  ),
  traceRequests: Config.boolean("TRACE_REQUESTS").pipe(
    Config.withDefault(defaults.traceRequests),
    Config.withDescription("Tracing spans per HTTP request, execution and module attempt (for an installed tracer such as OpenTelemetry; implied by OTEL_EXPORTER_OTLP_ENDPOINT).")
  ),
  logRequests: Config.boolean("LOG_REQUESTS").pipe(
    Config.withDefault(defaults.logRequests),
    Config.withDescription("A log entry per HTTP response: method, URL, status and duration.")
  ),
  leaseMs: integerAtLeast(
    "EXECUTION_LEASE_MS",
    1,
    defaults.leaseMs,
    "How long an execution that continues without a listener waits for one before it is cancelled, in milliseconds."
  ),
  sseRetryMs: integerAtLeast("SSE_RETRY_MS", 0, defaults.sseRetryMs, "The retry: interval sent to EventSource clients of /executions/{id}/events, in milliseconds.")
})

/** The server settings from the environment. */
export const layer: Layer.Layer<ServerConfig, ConfigError.ConfigError> = Layer.effect(ServerConfig, config)

/** Fixed settings (the defaults overridden by `overrides`), for tests and embedding. */
export const layerWith = (overrides: Partial<ServerConfigShape> = {}): Layer.Layer<ServerConfig> =>
  Layer.succeed(ServerConfig, { ...defaults, ...overrides })
