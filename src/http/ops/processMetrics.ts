/**
 * The process's own figures for `GET /metrics`, under the names Prometheus
 * clients use for them (`process_*`, `nodejs_*`): CPU time, memory, the
 * heap, and the event loop's delay. The delay is sampled for the server's
 * whole life and its percentiles cover the time since the previous scrape.
 */
import { Effect } from "effect"
import type { Scope } from "effect"
import { monitorEventLoopDelay } from "node:perf_hooks"
import v8 from "node:v8"
import * as Prometheus from "./prometheus.js"

/** Event-loop delay resolution, in milliseconds. */
const RESOLUTION_MS = 10

/** Each V8 heap space's size and use, labelled as prom-client labels them (`space="new"`, `"old"`, `"code"` ...). */
const heapSpaces = (): ReadonlyArray<string> => {
  const spaces = v8.getHeapSpaceStatistics()
  const samples = (value: (s: v8.HeapSpaceInfo) => number) =>
    spaces.map((s) => ({ labels: { space: s.space_name.replace(/_space$/, "") }, value: value(s) }))
  return [
    Prometheus.gauge("nodejs_heap_space_size_total_bytes", "Size of each V8 heap space, in bytes.", samples((s) => s.space_size)),
    Prometheus.gauge("nodejs_heap_space_size_used_bytes", "Bytes in use in each V8 heap space.", samples((s) => s.space_used_size)),
    Prometheus.gauge("nodejs_heap_space_size_available_bytes", "Bytes still available in each V8 heap space.", samples((s) => s.space_available_size))
  ]
}

/** Starts sampling the event loop for the scope's life; returns what renders the figures (and starts the next interval). */
export const processMetrics: Effect.Effect<() => string, never, Scope.Scope> = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => {
      const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
      delay.enable()
      return delay
    }),
    (delay) => Effect.sync(() => delay.disable())
  ),
  (delay) => () => {
    const cpu = process.cpuUsage()
    const memory = process.memoryUsage()
    // Nanoseconds; NaN when no sample was taken since the last reset.
    const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0)
    const lag = (name: string, help: string, ns: number) => Prometheus.gauge(name, help, [{ value: seconds(ns) }])
    const text = [
      Prometheus.counter("process_cpu_user_seconds_total", "User CPU time spent, in seconds.", [{ value: cpu.user / 1e6 }]),
      Prometheus.counter("process_cpu_system_seconds_total", "System CPU time spent, in seconds.", [{ value: cpu.system / 1e6 }]),
      Prometheus.counter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", [{ value: (cpu.user + cpu.system) / 1e6 }]),
      Prometheus.gauge("process_resident_memory_bytes", "Resident memory size, in bytes.", [{ value: memory.rss }]),
      Prometheus.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", [
        { value: Math.round((Date.now() - process.uptime() * 1000) / 1000) }
      ]),
      Prometheus.gauge("nodejs_heap_size_total_bytes", "V8 heap size, in bytes.", [{ value: memory.heapTotal }]),
      Prometheus.gauge("nodejs_heap_size_used_bytes", "V8 heap in use, in bytes.", [{ value: memory.heapUsed }]),
      ...heapSpaces(),
      Prometheus.gauge("nodejs_external_memory_bytes", "Memory of C++ objects bound to JavaScript objects, in bytes.", [{ value: memory.external }]),
      lag("nodejs_eventloop_lag_p50_seconds", "Median event loop delay since the previous scrape, in seconds.", delay.percentile(50)),
      lag("nodejs_eventloop_lag_p99_seconds", "99th percentile of the event loop delay since the previous scrape, in seconds.", delay.percentile(99)),
      lag("nodejs_eventloop_lag_max_seconds", "Largest event loop delay since the previous scrape, in seconds.", delay.max)
    ].join("")
    delay.reset()
    return text
  }
)
