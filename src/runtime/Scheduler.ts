/**
 * The engine-wide scheduler: a bound on module bodies running at once across
 * all executions, and the counters that show what is running.
 *
 * Permits are plain counters taken synchronously by an execution's driver
 * when a module is ready (never while it waits for its inputs), so a module
 * that can start costs no fiber hop. A driver that finds none registers a
 * callback; a released permit is handed to the waiting one that comes
 * first (it stays taken, so nobody else can claim it first), which uses it
 * or gives it back. One release wakes one driver, whatever the number
 * waiting.
 *
 * Waiters come first by priority (`with priority`, 0 to 100, 50 by default),
 * and within a priority in arrival order. Waiting raises a waiter's
 * priority by one point per `AGING_MS` (10 points per 5 s), so a waiter is
 * passed over only by waiters of higher priority p' that arrived less than
 * (p' − p) × 500 ms after it: a `background` call (0) waits behind newer
 * `critical` ones (100) for at most 50 s.
 */
import { Config, Context, Effect, Layer } from "effect"

/** Milliseconds of waiting worth one point of priority. */
export const AGING_MS = 500
/** The priority of a call without `with priority`. */
export const DEFAULT_PRIORITY = 50

/** A registered waiter: it comes before those with a smaller `rank`, then by `seq`. */
interface Waiter {
  readonly granted: () => void
  /** `priority × AGING_MS − arrival`: higher first. */
  readonly rank: number
  readonly seq: number
}

/** Whether waiter `a` comes before waiter `b`. */
const before = (a: Waiter, b: Waiter): boolean => a.rank > b.rank || (a.rank === b.rank && a.seq < b.seq)

/** The runtime's counters (`engine.stats()`): modules and executions running and started so far. */
export interface SchedulerStats {
  /** Module bodies running now (holding a permit). */
  readonly runningModules: number
  /** Executions between start and end. */
  readonly activeExecutions: number
  readonly modulesStarted: number
  /** Module bodies interrupted before they finished (consumer gone, deadline, timeout). */
  readonly modulesInterrupted: number
  readonly executionsStarted: number
}

/** Told of each module that finished: its name, latency and whether it failed. */
export type ModuleListener = (module: string, latencyMs: number, failed: boolean) => void

export interface SchedulerShape {
  /** The engine-wide bound on module bodies running at once. */
  readonly maxConcurrentModules: number
  /** Takes a permit if one is free. */
  readonly tryAcquire: () => boolean
  /** Gives a permit back (to the longest waiter, if any); `interrupted` counts a body that did not finish. */
  readonly release: (interrupted: boolean) => void
  /**
   * Calls `granted` once with a permit already taken for the caller, when
   * one is released and no waiter comes before it (by `priority`, default
   * 50, aged from `since`, the caller's clock in ms, default 0); returns a
   * canceller (which, once granted, does nothing). The caller must use the
   * permit for a module body, or `giveBack` it.
   */
  readonly whenAvailable: (granted: () => void, priority?: number, since?: number) => () => void
  /** Returns a permit granted by `whenAvailable` that was not used. */
  readonly giveBack: () => void
  /** Calls `listener` after every module body that ran (not skipped ones), with its latency; returns a remover. */
  readonly observeModules: (listener: ModuleListener) => () => void
  /** @internal Called by executions when a module finishes. */
  readonly moduleFinished: ModuleListener | undefined
  /** Counts an execution as active while `run` runs. */
  readonly trackExecution: <A, E, R>(run: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /**
   * @internal Counts an execution as active from now until the returned
   * function is first called (later calls do nothing): `trackExecution` for
   * code that knows its own end, without an Effect region around it.
   */
  readonly executionStarted: () => () => void
  readonly stats: () => SchedulerStats
}

/**
 * The engine-wide bound on module bodies running at once
 * (`MAX_CONCURRENT_MODULES`) and the runtime's counters. Public for its
 * layers (`layerScheduler`, `layerSchedulerWith(n)` in the package's
 * exports) and because the engine's layer requires it; its members other than `stats` are the
 * engine's own machinery.
 */
export class Scheduler extends Context.Tag("@constellation/Scheduler")<Scheduler, SchedulerShape>() {}

/** Makes a scheduler allowing `maxConcurrentModules` module bodies at once. */
export const make = (maxConcurrentModules: number): SchedulerShape => {
  let runningModules = 0, activeExecutions = 0, modulesStarted = 0, modulesInterrupted = 0, executionsStarted = 0
  /** The one place executions are counted: active from now until the returned function is first called. */
  const executionStarted = (): (() => void) => {
    activeExecutions++
    executionsStarted++
    let active = true
    return () => {
      if (active) {
        active = false
        activeExecutions--
      }
    }
  }
  // In order, the first waiter last: granting pops it.
  const waiters: Array<Waiter> = []
  let seq = 0
  const listeners = new Set<ModuleListener>()
  /** A permit was freed: it goes to the first waiter (still taken) or back to the pool. */
  const free = () => {
    const w = waiters.pop()
    if (w !== undefined) {
      modulesStarted++
      return w.granted()
    }
    runningModules--
  }
  const notify: ModuleListener = (module, latencyMs, failed) => {
    for (const l of listeners) l(module, latencyMs, failed)
  }
  return {
    maxConcurrentModules,
    observeModules: (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    get moduleFinished() {
      return listeners.size === 0 ? undefined : notify
    },
    tryAcquire: () => {
      if (runningModules >= maxConcurrentModules || waiters.length > 0) return false
      runningModules++
      modulesStarted++
      return true
    },
    release: (interrupted) => {
      if (interrupted) modulesInterrupted++
      free()
    },
    giveBack: () => {
      modulesStarted-- // counted when granted, never used
      free()
    },
    whenAvailable: (granted, priority = DEFAULT_PRIORITY, since = 0) => {
      const w: Waiter = { granted, rank: priority * AGING_MS - since, seq: seq++ }
      // Its place: every waiter to its right comes before it.
      let lo = 0, hi = waiters.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (before(w, waiters[mid]!)) lo = mid + 1
        else hi = mid
      }
      waiters.splice(lo, 0, w)
      return () => {
        const i = waiters.indexOf(w)
        if (i >= 0) waiters.splice(i, 1)
      }
    },
    trackExecution: (run) =>
      Effect.uninterruptibleMask((restore) => {
        const ended = executionStarted()
        return Effect.ensuring(restore(run), Effect.sync(ended))
      }),
    executionStarted,
    stats: () => ({ runningModules, activeExecutions, modulesStarted, modulesInterrupted, executionsStarted })
  }
}

/** The scheduler with its bound from `Config` `MAX_CONCURRENT_MODULES` (default 1024). */
export const layer: Layer.Layer<Scheduler, never> = Layer.effect(
  Scheduler,
  Effect.map(Effect.orDie(Config.integer("MAX_CONCURRENT_MODULES").pipe(Config.withDefault(1024))), make)
)

/** A scheduler with a fixed bound on module bodies running at once, whatever `Config` says: for tests and embedding. */
export const layerWith = (maxConcurrentModules: number): Layer.Layer<Scheduler> =>
  Layer.sync(Scheduler, () => make(maxConcurrentModules))
