/**
 * Admission of executions: at most `maxConcurrentExecutions` run at once
 * (over it a request is refused at once, never queued), and none start
 * once a shutdown has begun. An admitted execution holds its slot until
 * it releases it.
 *
 * The count is a plain number: taking and releasing a slot is on the path
 * of every request, and costs no more than the check.
 */
import { Context, Effect, Layer } from "effect"
import { OverCapacity, ShuttingDown } from "../HttpError.js"
import { Lifecycle } from "../server/Lifecycle.js"
import { Limits } from "../server/Limits.js"

export interface AdmissionShape {
  /**
   * Takes a slot now and returns undefined, or returns why not. The caller
   * must `unsafeRelease` a slot it took exactly once (from an uninterruptible
   * region to its release, so that no interruption can lose it).
   */
  readonly unsafeTake: () => OverCapacity | ShuttingDown | undefined
  /** Frees a slot taken by `unsafeTake`. */
  readonly unsafeRelease: () => void
  /** Executions holding a slot now. */
  readonly active: Effect.Effect<number>
  /** Completes when no execution holds a slot. */
  readonly awaitIdle: Effect.Effect<void>
}

export class Admission extends Context.Tag("@constellation/http/Admission")<Admission, AdmissionShape>() {}

export const make = Effect.gen(function*() {
  const limits = yield* Limits
  const lifecycle = yield* Lifecycle
  let count = 0
  const idle = new Set<() => void>()
  const shuttingDown = new ShuttingDown({
    message: "The server is shutting down and accepts no new executions.",
    retryAfterSeconds: limits.retryAfterSeconds
  })
  const overCapacity = new OverCapacity({
    message: `The server is running its maximum of ${limits.maxConcurrentExecutions} executions; retry shortly.`,
    retryAfterSeconds: limits.retryAfterSeconds
  })
  const unsafeTake = (): OverCapacity | ShuttingDown | undefined => {
    if (!lifecycle.isReady()) return shuttingDown
    if (count >= limits.maxConcurrentExecutions) return overCapacity
    count++
    return undefined
  }
  const unsafeRelease = (): void => {
    count--
    if (count === 0 && idle.size > 0) {
      const waiting = [...idle]
      idle.clear()
      for (const resume of waiting) resume()
    }
  }
  return Admission.of({
    unsafeTake,
    unsafeRelease,
    active: Effect.sync(() => count),
    awaitIdle: Effect.async<void>((resume) => {
      if (count === 0) return resume(Effect.void)
      const done = () => resume(Effect.void)
      idle.add(done)
      return Effect.sync(() => void idle.delete(done))
    })
  })
})

export const layer: Layer.Layer<Admission, never, Limits | Lifecycle> = Layer.effect(Admission, make)
