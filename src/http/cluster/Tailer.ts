/**
 * The live tail of other instances' executions: one connection blocked in
 * `XREAD` on every stream this instance follows, whatever their number.
 * A stream added while it blocks wakes it (`CLIENT UNBLOCK` from the
 * command connection), so a new follower never waits for the timeout.
 * While Redis is unreachable the loop waits and tries again; it ends with
 * the layer's scope.
 */
import { Effect } from "effect"
import type { Redis } from "ioredis"
import { entryId } from "./keys.js"

/** Entries of one stream: `[id, [field, value, ...]]`. */
export type Entries = ReadonlyArray<readonly [string, ReadonlyArray<string>]>

interface Followed {
  lastId: string
  readonly deliver: (entries: Entries) => void
}

/** How long one `XREAD` blocks when nothing wakes it, in milliseconds. */
const BLOCK_MS = 5_000
/** Most entries read from one stream per `XREAD`. */
const COUNT = 1_000

export class Tailer {
  private readonly streams = new Map<string, Followed>()
  private blockedId: number | undefined
  private blocking = false
  /** Counts the reads, so a wake meant for one read is not retried on the next. */
  private reads = 0
  private wake: (() => void) | undefined

  constructor(private readonly blocked: Redis, private readonly command: Redis) {
    const learnId = () => {
      this.blockedId = undefined
      blocked.client("ID").then((id) => (this.blockedId = Number(id)), () => undefined)
    }
    blocked.on("ready", learnId)
    if (blocked.status === "ready") learnId()
  }

  /** Follows `key` after the event at `afterSeq`; returns a function that stops. */
  follow(key: string, afterSeq: number, deliver: (entries: Entries) => void): () => void {
    const followed: Followed = { lastId: afterSeq < 0 ? "0-0" : entryId(afterSeq), deliver }
    this.streams.set(key, followed)
    this.interrupt()
    return () => {
      if (this.streams.get(key) === followed) this.streams.delete(key)
    }
  }

  private interrupt(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
    if (this.blocking) this.unblock(this.reads, 0)
  }

  /**
   * Wakes the read numbered `read`. The wake travels on another connection
   * and may arrive before the read itself: while Redis says nothing was
   * blocked and that read is still pending, it is tried again shortly.
   */
  private unblock(read: number, tries: number): void {
    if (this.blockedId === undefined || !this.blocking || this.reads !== read || tries > 50) return
    this.command.client("UNBLOCK", this.blockedId).then(
      (n) => {
        if (Number(n) === 0) setTimeout(() => this.unblock(read, tries + 1), 2)
      },
      () => undefined
    )
  }

  /** One read: waits for a stream to follow, then blocks until entries come (or a wake, or the timeout). */
  private readonly step: Effect.Effect<void> = Effect.suspend(() => {
    if (this.streams.size === 0) {
      return Effect.async<void>((resume) => {
        // Through a local: a function literal assigned to a property is allocated in V8's old generation (test/architecture/pretenuredClosures.test.ts).
        const wake = () => resume(Effect.void)
        this.wake = wake
        return Effect.sync(() => void (this.wake = undefined))
      })
    }
    const keys = [...this.streams.keys()]
    const ids = keys.map((k) => this.streams.get(k)!.lastId)
    return Effect.tryPromise(() => {
      this.blocking = true
      this.reads++
      return this.blocked.xread("COUNT", COUNT, "BLOCK", BLOCK_MS, "STREAMS", ...keys, ...ids)
    }).pipe(
      Effect.ensuring(Effect.sync(() => (this.blocking = false))),
      Effect.map((answer) => {
        if (answer === null) return
        for (const [key, entries] of answer) {
          const followed = this.streams.get(key)
          if (followed === undefined || entries.length === 0) continue
          followed.lastId = entries[entries.length - 1]![0]
          followed.deliver(entries)
        }
      }),
      // Redis unreachable: try again shortly.
      Effect.catchAll(() => Effect.sleep("200 millis"))
    )
  })

  /** Reads until interrupted. */
  readonly run: Effect.Effect<never> = Effect.forever(this.step)
}
