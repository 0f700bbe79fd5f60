/**
 * Forking that starts the child at once. `Effect.fork` starts it at the
 * scheduler's next turn, after whatever the parent does next (setting up a
 * stream's consumer takes 0.5 ms or more when the process has idled); a
 * module's timer or request should be on its way before that.
 */
import { Effect, Runtime } from "effect"
import type { Fiber, Scope } from "effect"

/** The runtime of a running fiber (its context, flags and fiber refs), as `Effect.runtime` makes it. */
export const runtimeOf = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  status: { readonly runtimeFlags: Runtime.Runtime<never>["runtimeFlags"] }
): Runtime.Runtime<never> =>
  Runtime.make({ context: fiber.currentContext, runtimeFlags: status.runtimeFlags, fiberRefs: fiber.getFiberRefs() })

/**
 * Forks `effect` with the current fiber's runtime and runs it now, on this
 * stack until it first waits; with `scope`, closing it interrupts the child
 * and waits for its end.
 */
export const forkNow = <A, E>(effect: Effect.Effect<A, E>, scope?: Scope.Scope): Effect.Effect<Fiber.RuntimeFiber<A, E>> =>
  Effect.withFiberRuntime((fiber, status) =>
    Effect.succeed(Runtime.runFork(runtimeOf(fiber, status))(effect, scope === undefined ? undefined : { scope }))
  )

