/**
 * Measuring a load: the heap after a full collection, and the event loop's
 * delay (p99) while the load runs.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"

const collector = ((): (() => void) | undefined => {
  const exposed = (globalThis as { gc?: () => void }).gc
  if (exposed !== undefined) return exposed
  try {
    // Exposes `gc` in a fresh context, for a process started without --expose-gc.
    setFlagsFromString("--expose-gc")
    return runInNewContext("gc") as () => void
  } catch {
    return undefined
  }
})()

/** Whether heap figures are taken after a full collection. */
export const canCollect = collector !== undefined

/**
 * The heap in use, the memory outside it (Buffers: socket write queues
 * hold them) and the RSS, in MiB, after letting pending work settle and
 * collecting garbage.
 */
export const memory = async (): Promise<{ readonly heapMiB: number; readonly externalMiB: number; readonly rssMiB: number }> => {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    collector?.()
  }
  const m = process.memoryUsage()
  return { heapMiB: m.heapUsed / 2 ** 20, externalMiB: m.external / 2 ** 20, rssMiB: m.rss / 2 ** 20 }
}

export interface LoopDelay {
  /** Stops measuring; the delays seen, in milliseconds. */
  readonly stop: () => { readonly p50: number; readonly p99: number; readonly max: number }
}

/** Starts measuring the event loop's delay (10 ms resolution). */
export const loopDelay = (): LoopDelay => {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  return {
    stop: () => {
      h.disable()
      const ms = (ns: number) => Math.round(ns / 1e5) / 10
      return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` every 20 ms until it holds or `ms` pass; returns whether it held. */
export const eventually = async (ms: number, check: () => Promise<boolean> | boolean): Promise<boolean> => {
  const deadline = performance.now() + ms
  while (performance.now() < deadline) {
    if (await check()) return true
    await sleep(20)
  }
  return check()
}
