/**
 * What an execution's `signal` option needs of an `AbortSignal` (a real one
 * fits), and a controller of such signals for the many-listener case: a
 * server-wide stop that every running execution listens to. Node's
 * `EventTarget` scans its listeners on each add; this one keeps a `Set`.
 */

export interface StopSignal {
  readonly aborted: boolean
  readonly reason: unknown
  addEventListener(type: "abort", listener: () => void, options?: { readonly once?: boolean }): void
  removeEventListener(type: "abort", listener: () => void): void
}

class Signal implements StopSignal {
  aborted = false
  reason: unknown = undefined
  readonly listeners = new Set<() => void>()

  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) this.listeners.add(listener)
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    this.listeners.delete(listener)
  }
}

/**
 * Like `AbortController`: `abort` tells every listener once, then forgets
 * them. Public because an application that stops many executions at once
 * (a shutdown, a tenant's quota) passes its `signal` as the `signal`
 * option of each: one listener per execution and no fiber, where an
 * `AbortSignal` per execution or a `stop` effect would cost more. The HTTP
 * service uses one for `shutting_down`.
 *
 * ```ts
 * const stop = new StopSignalController()
 * const events = yield* engine.runStreaming(pipeline, inputs, { signal: stop.signal })
 * stop.abort({ code: "shutting_down", message: "bye", module: null })
 * ```
 */
export class StopSignalController {
  private readonly source = new Signal()
  readonly signal: StopSignal = this.source

  abort(reason: unknown): void {
    const s = this.source
    if (s.aborted) return
    s.aborted = true
    s.reason = reason
    const listeners = [...s.listeners]
    s.listeners.clear()
    for (const l of listeners) l()
  }
}
