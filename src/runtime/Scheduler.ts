/**
 * The engine-wide scheduler: a bound on module bodies running at once across
 * all executions, and the counters that show what is running.
 */
import { Config, Context, Effect, Layer } from "effect"

export interface SchedulerStats {
  /** Module bodies running now (holding a permit). */
  readonly runningModules: number
  /** Executions between start and end. */
  readonly activeExecutions: number
  readonly modulesStarted: number
  readonly modulesInterrupted: number
  readonly executionsStarted: number
}

export interface SchedulerShape {
  /** The engine-wide bound on module bodies running at once. */
  readonly maxConcurrentModules: number
  /** Runs a module body under the engine-wide bound, counting it. */
  readonly withPermit: <A, E, R>(body: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Counts an execution as active while `run` runs. */
  readonly trackExecution: <A, E, R>(run: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly stats: () => SchedulerStats
}

export class Scheduler extends Context.Tag("@constellation/Scheduler")<Scheduler, SchedulerShape>() {}

/** Makes a scheduler allowing `maxConcurrentModules` module bodies at once. */
export const make = (maxConcurrentModules: number): Effect.Effect<SchedulerShape> =>
  Effect.map(Effect.makeSemaphore(maxConcurrentModules), (semaphore) => {
    let runningModules = 0, activeExecutions = 0, modulesStarted = 0, modulesInterrupted = 0, executionsStarted = 0
    const counted = <A, E, R>(body: Effect.Effect<A, E, R>) =>
      Effect.suspend(() => {
        runningModules++
        modulesStarted++
        return body
      }).pipe(Effect.onExit((exit) =>
        Effect.sync(() => {
          runningModules--
          if (exit._tag === "Failure" && exit.cause._tag === "Interrupt") modulesInterrupted++
        })
      ))
    return {
      maxConcurrentModules,
      withPermit: (body) => semaphore.withPermits(1)(counted(body)),
      trackExecution: (run) =>
        Effect.acquireUseRelease(
          Effect.sync(() => {
            activeExecutions++
            executionsStarted++
          }),
          () => run,
          () => Effect.sync(() => void activeExecutions--)
        ),
      stats: () => ({ runningModules, activeExecutions, modulesStarted, modulesInterrupted, executionsStarted })
    }
  })

/** The scheduler with its bound from `MAX_CONCURRENT_MODULES` (default 1024). */
export const layer: Layer.Layer<Scheduler, never> = Layer.effect(
  Scheduler,
  Effect.flatMap(
    Effect.orDie(Config.integer("MAX_CONCURRENT_MODULES").pipe(Config.withDefault(1024))),
    make
  )
)

/** A scheduler with a fixed bound, for tests and embedding. */
export const layerWith = (maxConcurrentModules: number): Layer.Layer<Scheduler> =>
  Layer.effect(Scheduler, make(maxConcurrentModules))
