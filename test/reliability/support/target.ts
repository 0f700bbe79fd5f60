/**
 * The server a load runs against, in-process (the test suites) or in a
 * child process (the soak): its address and the figures a scenario reads
 * before and after (the engine's counters, `/metrics`, memory after a full
 * collection, the event loop's delay, what it logged).
 */
import type { SchedulerStats } from "../../../src/runtime/Scheduler.js"
import { loopDelay, memory } from "./measure.js"
import type { LoopDelay } from "./measure.js"
import type { LogLine, ReliabilityServer } from "./server.js"

export interface Memory {
  readonly heapMiB: number
  readonly externalMiB: number
  readonly rssMiB: number
}

export interface LoopFigures {
  readonly p50: number
  readonly p99: number
  readonly max: number
}

export interface Target {
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  readonly engine: () => Promise<SchedulerStats>
  readonly metric: (name: string) => Promise<number>
  /** The server's memory after a full collection. */
  readonly memory: () => Promise<Memory>
  /** Warnings and errors logged so far. */
  readonly logs: () => Promise<ReadonlyArray<LogLine>>
  /** Starts measuring the server's event loop delay. */
  readonly loopStart: () => Promise<void>
  /** The delays since `loopStart`. */
  readonly loopStop: () => Promise<LoopFigures>
}

/** A server running in this process: its figures are this process's. */
export const inProcess = (server: ReliabilityServer): Target => {
  let monitor: LoopDelay | undefined
  return {
    url: server.url,
    wsUrl: server.wsUrl,
    port: server.port,
    engine: server.engine,
    metric: server.metric,
    memory,
    logs: async () => [...server.logs],
    loopStart: async () => {
      monitor = loopDelay()
    },
    loopStop: async () => {
      const figures = monitor?.stop() ?? { p50: 0, p99: 0, max: 0 }
      monitor = undefined
      return figures
    }
  }
}

/** A small seeded random generator (mulberry32), so a failing run can be replayed from its seed. */
export const random = (seed: number) => {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(next() * xs.length)] as A
  }
}
