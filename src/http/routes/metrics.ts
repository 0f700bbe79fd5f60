/**
 * `GET /metrics`: Prometheus text of the service's counters together with
 * the engine's (modules running and interrupted, module cache hits and
 * misses), the compiler's (cache hits and misses) and the process's (CPU,
 * memory, event loop).
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import type { CompilerStats } from "../../lang/Compiler.js"
import { Compiler } from "../../lang/Compiler.js"
import { Engine } from "../../runtime/Engine.js"
import type { SchedulerStats } from "../../runtime/Scheduler.js"
import type { CacheStats } from "../../runtime/ModuleCache.js"
import { Admission } from "../executions/Admission.js"
import { Retained } from "../executions/Retained.js"
import { Lifecycle } from "../server/Lifecycle.js"
import { Metrics } from "../ops/Metrics.js"
import type { MetricsSnapshot } from "../ops/Metrics.js"
import { processMetrics } from "../ops/processMetrics.js"
import * as Prometheus from "../ops/prometheus.js"
import type { Sample } from "../ops/prometheus.js"
import { eventNames } from "../../protocol/events.js"

const byLabel = (m: ReadonlyMap<string, number>, label: string, known: ReadonlyArray<string> = []): Array<Sample> => {
  const keys = [...new Set([...known, ...m.keys()])].sort()
  return keys.map((k) => ({ labels: { [label]: k }, value: m.get(k) ?? 0 }))
}

const executionSamples = (m: ReadonlyMap<string, number>): Array<Sample> =>
  [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, value]) => {
    const [mode = "", status = ""] = k.split("|")
    return { labels: { mode, status }, value }
  })

export interface Figures {
  readonly metrics: MetricsSnapshot
  readonly engine: SchedulerStats
  readonly compiler: CompilerStats
  readonly cache: CacheStats
  readonly activeExecutions: number
  readonly ready: boolean
  readonly retained: { readonly running: number; readonly finished: number; readonly bytes: number }
}

/** The exposition text of all figures. */
export const render = (f: Figures): string =>
  [
    Prometheus.counter("constellation_executions_total", "Executions finished, by mode and status.", executionSamples(f.metrics.executions)),
    Prometheus.gauge("constellation_active_executions", "Executions admitted and not yet finished.", [{ value: f.activeExecutions }]),
    Prometheus.gauge("constellation_active_streams", "Open event streams, by transport.", byLabel(f.metrics.activeStreams, "transport")),
    Prometheus.counter("constellation_events_sent_total", "Stream events sent, by event type.", byLabel(f.metrics.eventsSent, "type", eventNames)),
    Prometheus.counter(
      "constellation_client_disconnects_total",
      "Clients that went away before their execution finished, by transport.",
      byLabel(f.metrics.disconnects, "transport", ["batch", "sse", "websocket"])
    ),
    Prometheus.counter("constellation_requests_rejected_total", "Executions refused before running, by reason.", byLabel(f.metrics.rejected, "reason", ["over_capacity", "shutting_down", "store_unavailable"])),
    Prometheus.histogram("constellation_module_duration_seconds", "Module latency from start to outcome (retries included), in seconds.", f.metrics.moduleLatency),
    Prometheus.gauge("constellation_modules_running", "Module bodies running now.", [{ value: f.engine.runningModules }]),
    Prometheus.counter("constellation_modules_started_total", "Module bodies started.", [{ value: f.engine.modulesStarted }]),
    Prometheus.counter("constellation_modules_interrupted_total", "Module bodies interrupted (cancel, disconnect, deadline, shutdown).", [{ value: f.engine.modulesInterrupted }]),
    Prometheus.gauge("constellation_engine_active_executions", "Executions running in the engine.", [{ value: f.engine.activeExecutions }]),
    Prometheus.counter("constellation_compile_cache_hits_total", "Compilations answered from the cache.", [{ value: f.compiler.hits }]),
    Prometheus.counter("constellation_compile_cache_misses_total", "Compilations not in the cache.", [{ value: f.compiler.misses }]),
    Prometheus.gauge("constellation_compile_cache_entries", "Sources held in the compile cache.", [{ value: f.compiler.size }]),
    Prometheus.gauge("constellation_retained_executions", "Executions kept readable at /executions/{id}, by state.", [
      { labels: { state: "finished" }, value: f.retained.finished },
      { labels: { state: "running" }, value: f.retained.running }
    ]),
    Prometheus.gauge("constellation_retained_bytes", "Bytes of results (as JSON, estimated) the finished executions kept hold.", [{ value: f.retained.bytes }]),
    Prometheus.counter("constellation_module_cache_hits_total", "Module calls (with cache) answered from the cache.", [{ value: f.cache.hits }]),
    Prometheus.counter("constellation_module_cache_misses_total", "Module calls (with cache) not in the cache, or past their time.", [{ value: f.cache.misses }]),
    Prometheus.counter("constellation_module_cache_evictions_total", "Cached results dropped: past their time, or least recently used when full.", [{ value: f.cache.evictions }]),
    Prometheus.gauge("constellation_module_cache_entries", "Module results held in the cache.", [{ value: f.cache.entries }]),
    Prometheus.gauge("constellation_ready", "1 while the server accepts executions.", [{ value: f.ready ? 1 : 0 }])
  ].join("")

export const routes = Effect.gen(function*() {
  const metrics = yield* Metrics
  const engine = yield* Engine
  const compiler = yield* Compiler
  const admission = yield* Admission
  const lifecycle = yield* Lifecycle
  const retained = yield* Retained
  const processFigures = yield* processMetrics
  const figures = Effect.all({
    metrics: metrics.snapshot,
    engine: Effect.sync(() => engine.stats()),
    compiler: compiler.stats,
    cache: Effect.sync(() => engine.cacheStats()),
    activeExecutions: admission.active,
    ready: Effect.sync(() => lifecycle.isReady()),
    retained: Effect.sync(() => retained.size())
  })
  return [
    HttpLayerRouter.route(
      "GET",
      "/metrics",
      Effect.map(figures, (f) => HttpServerResponse.text(render(f) + processFigures(), { contentType: Prometheus.CONTENT_TYPE }))
    )
  ] as const
})
