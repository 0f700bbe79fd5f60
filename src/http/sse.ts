/**
 * Server-Sent Events framing: execution events become `event:`/`id:`/`data:`
 * frames (written by the `@effect/experimental` Sse encoder), and quiet
 * periods are filled with `: keepalive` comments so proxies keep the
 * connection open.
 */
import * as Sse from "@effect/experimental/Sse"
import { Clock, Duration, Effect, Stream } from "effect"
import type { WireEvent } from "./WireEvent.js"

/** The SSE frame of a wire event. */
export const frame = (w: WireEvent): string =>
  Sse.encoder.write({ _tag: "Event", event: w.event, id: w.id, data: JSON.stringify(w.data) })

/** A comment frame; clients ignore it. */
export const comment = (text: string): string => `: ${text.replace(/[\r\n]+/g, " ")}\n\n`

export const KEEPALIVE = comment("keepalive")

/**
 * `frames`, with a keepalive comment after every `intervalMs` during which
 * nothing was sent. Ends when `frames` ends.
 */
export const withKeepalive = <E, R>(frames: Stream.Stream<string, E, R>, intervalMs: number): Stream.Stream<string, E, R> =>
  Stream.suspend(() => {
    let lastSent = -1
    const touch = Clock.currentTimeMillis.pipe(Effect.map((now) => void (lastSent = now)))
    const nextKeepalive: Effect.Effect<string> = Effect.gen(function*() {
      while (true) {
        const now = yield* Clock.currentTimeMillis
        if (lastSent < 0) lastSent = now
        const due = lastSent + intervalMs
        if (now >= due) {
          lastSent = now
          return KEEPALIVE
        }
        yield* Effect.sleep(Duration.millis(due - now))
      }
    })
    return Stream.merge(
      Stream.tap(frames, () => touch),
      Stream.repeatEffect(nextKeepalive),
      { haltStrategy: "left" }
    )
  })
