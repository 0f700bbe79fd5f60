/**
 * The follow cursor and the backoff on their own: what a user sees of the
 * frames of several connections (each output once, in the execution's
 * order, snapshots folded, a resync survived), and the waits between tries.
 */
import { describe, expect, it } from "vitest"
import type { FollowFrame } from "../../src/client/FollowFrame.js"
import { makeFollowCursor } from "../../src/client/internal/FollowCursor.js"
import { backoffMs, defaultResume, resumePolicy } from "../../src/client/ResumeOptions.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"

const executionId = "x1"
const output = (seq: number, name: string, isFinal = false) => ({
  event: isFinal ? "complete" as const : "output" as const,
  data: { executionId, seq, timestamp: seq, name, value: name.toUpperCase(), isFinal, fromFallback: false }
})
const progress = (seq: number, completed: number) => ({ event: "progress" as const, data: { executionId, seq, timestamp: seq, completed, total: 3 } })
const snapshot = (seq: number, results: ReadonlyArray<ReturnType<typeof output>>, p?: ReturnType<typeof progress>): FollowFrame => ({
  event: "snapshot",
  data: {
    executionId,
    seq,
    results: results.map((r) => ({ event: "output" as const, data: r.data })),
    outputStatus: {},
    progress: p?.data ?? null,
    finished: false
  }
})

/** What the user sees of `frames`, as `seq:event:name`. */
const seen = (frames: ReadonlyArray<FollowFrame>) => {
  const cursor = makeFollowCursor()
  const out: Array<StreamEvent> = []
  for (const f of frames) out.push(...cursor.accept(f))
  return { cursor, shown: out.map((e) => `${e.data.seq}:${e.event}${"name" in e.data ? `:${e.data.name}` : ""}`) }
}

describe("the follow cursor", () => {
  it("drops events at or before its position: a resumed connection that repeats some shows them once", () => {
    const { cursor, shown } = seen([output(0, "a"), output(2, "b"), output(2, "b"), output(1, "late-duplicate"), output(3, "c", true)])
    expect(shown).toEqual(["0:output:a", "2:output:b", "3:complete:c"])
    expect(cursor.finished()).toBe(true)
    expect(cursor.delivered()).toBe(3)
  })

  it("resumes after the last seq it gave; before any event it asks for a snapshot", () => {
    const cursor = makeFollowCursor()
    expect(cursor.lastEventId()).toBeUndefined()
    cursor.accept(progress(4, 1))
    expect(cursor.lastEventId()).toBe("4")
  })

  it("unfolds a snapshot into the results not seen yet, with the progress count in its place, then continues after it", () => {
    const { shown, cursor } = seen([
      output(1, "a"),
      { event: "resync", data: { executionId, reason: "unknown_event_id", lastEventId: "zz", message: "" } },
      snapshot(6, [output(1, "a"), output(3, "b"), output(6, "c")], progress(5, 2)),
      output(5, "stale"),
      output(7, "d", true)
    ])
    expect(shown).toEqual(["1:output:a", "3:output:b", "5:progress", "6:output:c", "7:complete:d"])
    expect(cursor.lastEventId()).toBe("7")
  })

  it("delivers nothing after the final event", () => {
    const { shown } = seen([output(0, "a", true), output(1, "b")])
    expect(shown).toEqual(["0:complete:a"])
  })
})

describe("resume policy and backoff", () => {
  it("merges the client's options with the request's; false turns it off", () => {
    expect(resumePolicy(undefined)).toEqual(defaultResume)
    expect(resumePolicy({ retries: 2 }, { maxDelayMs: 7 })).toEqual({ ...defaultResume, retries: 2, maxDelayMs: 7 })
    expect(resumePolicy(false)).toBeUndefined()
    expect(resumePolicy({ retries: 2 }, false)).toBeUndefined()
    expect(resumePolicy(false, { retries: 1 })).toEqual({ ...defaultResume, retries: 1 })
  })

  it("waits a random time up to the capped exponential backoff (full jitter)", () => {
    const policy = { retries: 5, initialDelayMs: 100, maxDelayMs: 1000 }
    expect([0, 1, 2, 3, 4, 40].map((n) => backoffMs(policy, n, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000])
    expect(backoffMs(policy, 3, () => 0)).toBe(0)
    expect(backoffMs(policy, 3, () => 0.5)).toBe(400)
  })
})
