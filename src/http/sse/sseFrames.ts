/**
 * Server-Sent Events framing: execution events become `event:`/`id:`/`data:`
 * frames (written by the `@effect/experimental` Sse encoder), and quiet
 * periods are filled with `: keepalive` comments so proxies keep the
 * connection open.
 */
import * as Sse from "@effect/experimental/Sse"
import type { WireEvent } from "../../protocol/events.js"

/** The SSE frame of a wire event; `id` replaces its id (a `seq` on /executions/{id}/events). */
export const frame = (w: WireEvent, id: string | undefined = w.id): string =>
  Sse.encoder.write({ _tag: "Event", event: w.event, id, data: JSON.stringify(w.data) })

/** A frame of an event that is not an execution event (`snapshot`, `resync`). */
export const controlFrame = (event: string, id: string | undefined, data: unknown): string =>
  Sse.encoder.write({ _tag: "Event", event, id, data: JSON.stringify(data) })

/** The `retry:` line asking an `EventSource` to reconnect after `ms` milliseconds. */
export const retryFrame = (ms: number): string => `retry: ${Math.max(0, Math.floor(ms))}\n\n`

/** A comment frame; clients ignore it. */
export const comment = (text: string): string => `: ${text.replace(/[\r\n]+/g, " ")}\n\n`

export const KEEPALIVE = comment("keepalive")

/**
 * A keepalive for one response: calls `onIdle` after every `intervalMs`
 * during which nothing was written (`touch` says something was). One
 * timer, re-armed only when it fires: a write costs a clock read. The
 * timer does not keep the process alive.
 */
export class Keepalive {
  private lastWrite: number
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly intervalMs: number, private readonly onIdle: () => void) {
    this.lastWrite = Date.now()
    this.arm(intervalMs)
  }

  /** Something was written now. */
  touch(): void {
    this.lastWrite = Date.now()
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  private arm(ms: number): void {
    this.timer = setTimeout(this.fire, ms)
    this.timer.unref?.()
  }

  private readonly fire = (): void => {
    if (this.timer === undefined) return
    const now = Date.now()
    const quiet = now - this.lastWrite
    if (quiet >= this.intervalMs) {
      this.lastWrite = now
      this.onIdle()
      if (this.timer === undefined) return
      this.arm(this.intervalMs)
    } else {
      this.arm(this.intervalMs - quiet)
    }
  }
}
