/**
 * Preloaded into a server process (`node --import tsx --import
 * ./test/reliability/support/loopProbe.ts src/http/server/main.ts`): measures the
 * event loop's delay for the whole life of the process and prints it on
 * exit as one line, `loop-delay {"p50":…,"p99":…,"max":…}` (milliseconds).
 */
import { monitorEventLoopDelay } from "node:perf_hooks"

const histogram = monitorEventLoopDelay({ resolution: 10 })
histogram.enable()
const ms = (ns: number) => Math.round(ns / 1e5) / 10
process.on("exit", () => {
  histogram.disable()
  process.stderr.write(`loop-delay ${JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) })}\n`)
})
