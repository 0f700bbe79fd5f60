/**
 * A load shared by every request that needs it (a bundle read from disk, a
 * package imported on first use): it runs once, in a fiber of its own, and
 * its result (success or failure) is kept for every later caller.
 *
 * `Effect.cached` is not enough for this: the load runs in the first
 * caller's fiber, so a client that goes away while it runs interrupts the
 * load, and the interruption is what the cache keeps; every later request
 * is then answered as if its client had gone too (a bare 499), until the
 * process restarts. Here a caller that goes away only stops waiting.
 */
import { Deferred, Effect, FiberId } from "effect"

/** `load`, run at most once (on the first call), its outcome shared by every call. */
export const loadOnce = <A, E>(load: Effect.Effect<A, E>): Effect.Effect<A, E> => {
  let outcome: Deferred.Deferred<A, E> | undefined
  // Checking and starting in one uninterruptible step: a caller interrupted
  // in between would leave an outcome nobody ever completes.
  const started = Effect.uninterruptible(Effect.suspend(() => {
    if (outcome !== undefined) return Effect.succeed(outcome)
    const deferred = Deferred.unsafeMake<A, E>(FiberId.none)
    outcome = deferred
    return Effect.as(Effect.forkDaemon(Effect.intoDeferred(load, deferred)), deferred)
  }))
  return Effect.flatMap(started, Deferred.await)
}
