/**
 * The HTTP service's own counters: executions by mode and status, open
 * streams, events sent by type, client disconnects, refused requests and
 * the latency of module bodies. `GET /metrics` renders them with the
 * engine's and the compiler's figures.
 */
import { Context, Effect, Layer } from "effect"
import type { Scope } from "effect"
import type { HistogramData } from "./prometheus.js"

/** How an execution was requested. */
export type Mode = "batch" | "stream" | "websocket" | "resource"
/** Where the client of an execution is connected. */
export type Transport = "batch" | "sse" | "websocket"
/** How an execution ended; `cancelled` when its client went away or cancelled it first. */
export type ExecutionStatus = "completed" | "partial" | "failed" | "cancelled"

/** Upper bounds of the module latency histogram, in seconds. */
export const LATENCY_BUCKETS: ReadonlyArray<number> = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

export interface MetricsSnapshot {
  readonly executions: ReadonlyMap<string, number>
  readonly eventsSent: ReadonlyMap<string, number>
  readonly disconnects: ReadonlyMap<string, number>
  readonly activeStreams: ReadonlyMap<string, number>
  readonly rejected: ReadonlyMap<string, number>
  readonly moduleLatency: HistogramData
}

export interface MetricsShape {
  readonly executionFinished: (mode: Mode, status: ExecutionStatus) => Effect.Effect<void>
  readonly eventSent: (event: string) => Effect.Effect<void>
  /** `eventSent`, synchronous: for transports writing events from plain callbacks. */
  readonly countEventSent: (event: string) => void
  readonly clientDisconnected: (transport: Transport) => Effect.Effect<void>
  /** Counts a stream as open until the scope closes. */
  readonly openStream: (transport: Exclude<Transport, "batch">) => Effect.Effect<void, never, Scope.Scope>
  /** Counts a stream as opened (`+1`) or closed (`-1`), synchronously: for the per-request path. */
  readonly countStream: (transport: Exclude<Transport, "batch">, delta: 1 | -1) => void
  /** `clientDisconnected`, synchronous. */
  readonly countDisconnect: (transport: Transport) => void
  /** Counts a request refused before running (`over_capacity`, `shutting_down`). */
  readonly rejected: (code: string) => Effect.Effect<void>
  /** Adds a module body's latency to the histogram (synchronous: the engine calls it from its scheduler). */
  readonly recordModuleLatency: (seconds: number) => void
  readonly snapshot: Effect.Effect<MetricsSnapshot>
}

export class Metrics extends Context.Tag("@constellation/http/Metrics")<Metrics, MetricsShape>() {}

/** The key of a labelled counter: its label values joined by `|`. */
export const key = (...labels: ReadonlyArray<string>): string => labels.join("|")

const bump = (m: Map<string, number>, k: string, by = 1): void => void m.set(k, (m.get(k) ?? 0) + by)

export const make: Effect.Effect<MetricsShape> = Effect.sync(() => {
  const executions = new Map<string, number>()
  const eventsSent = new Map<string, number>()
  const disconnects = new Map<string, number>()
  const activeStreams = new Map<string, number>([["sse", 0], ["websocket", 0]])
  const rejected = new Map<string, number>()
  const counts = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0)
  let sum = 0
  let count = 0
  return {
    executionFinished: (mode, status) => Effect.sync(() => bump(executions, key(mode, status))),
    eventSent: (event) => Effect.sync(() => bump(eventsSent, event)),
    countEventSent: (event) => bump(eventsSent, event),
    clientDisconnected: (transport) => Effect.sync(() => bump(disconnects, transport)),
    openStream: (transport) =>
      Effect.acquireRelease(
        Effect.sync(() => bump(activeStreams, transport)),
        () => Effect.sync(() => bump(activeStreams, transport, -1))
      ),
    countStream: (transport, delta) => bump(activeStreams, transport, delta),
    countDisconnect: (transport) => bump(disconnects, transport),
    rejected: (code) => Effect.sync(() => bump(rejected, code)),
    recordModuleLatency: (seconds) => {
      const i = LATENCY_BUCKETS.findIndex((le) => seconds <= le)
      counts[i < 0 ? LATENCY_BUCKETS.length : i]! += 1
      sum += seconds
      count += 1
    },
    snapshot: Effect.sync(() => ({
      executions: new Map(executions),
      eventsSent: new Map(eventsSent),
      disconnects: new Map(disconnects),
      activeStreams: new Map(activeStreams),
      rejected: new Map(rejected),
      moduleLatency: { buckets: LATENCY_BUCKETS, counts: [...counts], sum, count }
    }))
  }
})

export const layer: Layer.Layer<Metrics> = Layer.effect(Metrics, make)
