/**
 * The limits calls share across every execution of an engine: `throttle`
 * (a token bucket per module and rate) and `concurrency` (a semaphore per
 * module and bound). A call over a limit waits; it never fails, and a wait
 * that is interrupted leaves nothing taken.
 */
import { Clock, Context, Duration, Effect, Layer } from "effect"

/** The call limits of an engine. */
export interface CallLimitsShape {
  /** Waits until `module`'s bucket of `count` calls per `perMs` has a token, and takes it. */
  readonly throttle: (module: string, count: number, perMs: number) => Effect.Effect<void>
  /** Runs `effect` holding one of `module`'s `limit` slots, waiting for one if all are taken. */
  readonly withSlot: <A, E, R>(module: string, limit: number, effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Calls waiting for a throttle token now. */
  readonly waiting: () => number
}

/**
 * The throttles and concurrency limits of `with throttle` and `with
 * concurrency`, one per engine: every execution of the engine shares them.
 *
 * @since 0.3.0
 * @category services
 */
export class CallLimits extends Context.Tag("@constellation/CallLimits")<CallLimits, CallLimitsShape>() {}

/**
 * A token bucket: `count` tokens at most, refilled at `count` per `perMs`;
 * full when first used. Callers that must wait queue up and are served in
 * arrival order: only the first in the queue may take a token.
 */
class Bucket {
  private tokens: number
  private last: number | undefined
  /** The callers waiting, in arrival order. */
  readonly queue: Array<object> = []
  constructor(private readonly count: number, private readonly perMs: number) {
    this.tokens = count
  }

  /**
   * Takes a token at `now` for the caller `position`-th in the queue (-1:
   * not queued) and returns 0, or returns how long until there are tokens
   * for it and everyone before it (taking nothing).
   */
  take(now: number, position: number): number {
    const rate = this.count / this.perMs
    if (this.last !== undefined) this.tokens = Math.min(this.count, this.tokens + (now - this.last) * rate)
    this.last = now
    const ahead = position < 0 ? this.queue.length : position
    if (ahead === 0 && this.tokens >= 1) {
      this.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((ahead + 1 - this.tokens) / rate))
  }
}

/** Makes an engine's call limits. */
export const make = (): CallLimitsShape => {
  const buckets = new Map<string, Bucket>()
  const slots = new Map<string, Effect.Semaphore>()
  let waiting = 0
  const wait = (ms: number): Effect.Effect<void> =>
    Effect.acquireUseRelease(
      Effect.sync(() => void waiting++),
      () => Effect.sleep(Duration.millis(ms)),
      () => Effect.sync(() => void waiting--)
    )
  return {
    throttle: (module, count, perMs) => {
      const key = `${module}|${count}/${perMs}`
      let bucket = buckets.get(key)
      if (bucket === undefined) buckets.set(key, bucket = new Bucket(count, perMs))
      const b = bucket
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        if (b.take(now, -1) === 0) return Effect.void
        const me = {}
        const leave = Effect.sync(() => {
          const i = b.queue.indexOf(me)
          if (i >= 0) b.queue.splice(i, 1)
        })
        const attempt: Effect.Effect<void> = Effect.flatMap(Clock.currentTimeMillis, (t) => {
          const ms = b.take(t, b.queue.indexOf(me))
          return ms === 0 ? leave : Effect.zipRight(wait(ms), attempt)
        })
        return Effect.suspend(() => {
          b.queue.push(me)
          return Effect.onInterrupt(attempt, () => leave)
        })
      })
    },
    withSlot: (module, limit, effect) => {
      const key = `${module}|${limit}`
      let semaphore = slots.get(key)
      if (semaphore === undefined) slots.set(key, semaphore = Effect.unsafeMakeSemaphore(limit))
      return semaphore.withPermits(1)(effect)
    },
    waiting: () => waiting
  }
}

/** The engine's call limits. @since 0.3.0 @category layers */
export const layer: Layer.Layer<CallLimits> = Layer.sync(CallLimits, make)
