/**
 * Admission of executions: at most `maxConcurrentExecutions` run at once
 * (over it a request is refused at once, never queued), and none start
 * once a shutdown has begun. An admitted execution holds its slot until
 * its scope closes.
 */
import { Context, Effect, Layer, Stream, SubscriptionRef } from "effect"
import type { Scope } from "effect"
import { OverCapacity, ShuttingDown } from "./HttpError.js"
import { Lifecycle } from "./Lifecycle.js"
import { Limits } from "./Limits.js"

export interface AdmissionShape {
  /** Takes a slot until the scope closes, or fails at once when none is free or the server is shutting down. */
  readonly admit: Effect.Effect<void, OverCapacity | ShuttingDown, Scope.Scope>
  /** Executions holding a slot now. */
  readonly active: Effect.Effect<number>
  /** Completes when no execution holds a slot. */
  readonly awaitIdle: Effect.Effect<void>
}

export class Admission extends Context.Tag("@constellation/http/Admission")<Admission, AdmissionShape>() {}

export const make = Effect.gen(function*() {
  const limits = yield* Limits
  const lifecycle = yield* Lifecycle
  const count = yield* SubscriptionRef.make(0)
  const shuttingDown = new ShuttingDown({
    message: "The server is shutting down and accepts no new executions.",
    retryAfterSeconds: limits.retryAfterSeconds
  })
  const overCapacity = new OverCapacity({
    message: `The server is running its maximum of ${limits.maxConcurrentExecutions} executions; retry shortly.`,
    retryAfterSeconds: limits.retryAfterSeconds
  })
  const take = SubscriptionRef.modify(count, (n): readonly [OverCapacity | ShuttingDown | undefined, number] => {
    if (!lifecycle.isReady()) return [shuttingDown, n]
    if (n >= limits.maxConcurrentExecutions) return [overCapacity, n]
    return [undefined, n + 1]
  }).pipe(Effect.flatMap((refused) => (refused === undefined ? Effect.void : Effect.fail(refused))))
  const release = SubscriptionRef.update(count, (n) => n - 1)
  return Admission.of({
    admit: Effect.acquireRelease(take, () => release),
    active: SubscriptionRef.get(count),
    awaitIdle: count.changes.pipe(Stream.takeUntil((n) => n === 0), Stream.runDrain)
  })
})

export const layer: Layer.Layer<Admission, never, Limits | Lifecycle> = Layer.effect(Admission, make)
