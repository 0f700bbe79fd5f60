/**
 * An engine permit (Scheduler.ts) held around an effect, for work forked
 * outside the driver's launch loop: a call made per element. The wait is
 * interruptible; a permit granted to a waiter interrupted meanwhile goes
 * back, and the permit is released however the effect ends.
 */
import { Effect, Exit } from "effect"
import type { SchedulerShape } from "../Scheduler.js"

/** Waits for a permit (by `priority`, aged from `now()` at the start of the wait), runs `effect`, releases it. */
export const withPermit = <A, E>(
  scheduler: SchedulerShape,
  priority: number,
  now: () => number,
  effect: Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.uninterruptibleMask((restore) => {
    const acquire: Effect.Effect<void> = scheduler.tryAcquire() ? Effect.void : Effect.async<void>((resume) => {
      let granted = false
      const cancel = scheduler.whenAvailable(() => {
        granted = true
        resume(Effect.void)
      }, priority, now())
      return Effect.sync(() => (granted ? scheduler.giveBack() : cancel()))
    })
    return Effect.zipRight(
      restore(acquire),
      Effect.onExit(restore(effect), (exit) => Effect.sync(() => scheduler.release(Exit.isInterrupted(exit))))
    )
  })
