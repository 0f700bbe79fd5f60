/**
 * Fibers forked from plain code and kept until they end: a lighter
 * `FiberSet` (no scope, no Deferred, one observer per fiber), for the hot
 * paths that fork per execution or per module. The owner interrupts what
 * is left when it ends.
 */
import { Effect, Fiber, Runtime, RuntimeFlags } from "effect"

export class Forks {
  private readonly running = new Set<Fiber.RuntimeFiber<unknown, unknown>>()
  /** Made on the first fork: an execution of modules that never suspend forks nothing. */
  private runFork: (<A, E>(effect: Effect.Effect<A, E>) => Fiber.RuntimeFiber<A, E>) | undefined

  /** Forks with `runtime`, made interruptible whatever the region it was taken in. */
  constructor(private readonly runtime: Runtime.Runtime<never>) {}

  /** Starts `effect` now (it runs until it first suspends) and keeps its fiber until it ends. */
  fork<A, E>(effect: Effect.Effect<A, E>): Fiber.RuntimeFiber<A, E> {
    this.runFork ??= Runtime.runFork(Runtime.enableRuntimeFlag(this.runtime, RuntimeFlags.Interruption))
    const fiber = this.runFork(effect)
    if (fiber.unsafePoll() === null) {
      this.running.add(fiber)
      fiber.addObserver(() => this.running.delete(fiber))
    }
    return fiber
  }

  /** No fiber is running. */
  get idle(): boolean {
    return this.running.size === 0
  }

  /** Interrupts every fiber still running and waits until they have ended (their finalizers run). */
  readonly interruptAll: Effect.Effect<void> = Effect.suspend(() =>
    this.running.size === 0 ? Effect.void : Fiber.interruptAll([...this.running])
  )
}
