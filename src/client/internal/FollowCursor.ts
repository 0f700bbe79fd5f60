/**
 * Where a follower of one execution is, across connections: the last
 * `seq` its user has seen (what a resume sends as `Last-Event-ID`) and the
 * outputs already delivered. It turns what each connection sends into the
 * events the user sees, so that the user's sequence is one run's, each
 * output once, whatever the connections did: an event at or before the
 * position is dropped, and a `snapshot` (after a `resync`, or when no
 * position was known) is unfolded into the results the user has not seen.
 * Schema-free, shared by both clients.
 *
 * @internal
 */
import { isFinal } from "../../protocol/eventKinds.js"
import type { FollowFrame } from "../FollowFrame.js"
import type { StreamEvent } from "../StreamEvent.js"

export interface FollowCursor {
  /** What to resume after (`Last-Event-ID`); undefined before any event, when a snapshot is what to ask for. */
  readonly lastEventId: () => string | undefined
  /** Whether the final event has been delivered. */
  readonly finished: () => boolean
  /** How many events the user has been given. */
  readonly delivered: () => number
  /** The events of `frame` the user has not seen, in order. */
  readonly accept: (frame: FollowFrame) => ReadonlyArray<StreamEvent>
}

export const makeFollowCursor = (): FollowCursor => {
  let lastSeq: number | undefined
  let finished = false
  let count = 0
  // A Set, not an object: an output may be named `__proto__`.
  const results = new Set<string>()

  const isNew = (seq: number) => lastSeq === undefined || seq > lastSeq

  /** Whether a result event names an output already delivered; records it otherwise. */
  const seenResult = (e: StreamEvent): boolean => {
    if ((e.event !== "output" && e.event !== "complete" && e.event !== "error") || !("name" in e.data)) return false
    if (results.has(e.data.name)) return true
    results.add(e.data.name)
    return false
  }

  const deliver = (e: StreamEvent, out: Array<StreamEvent>) => {
    if (finished || seenResult(e)) return
    out.push(e)
    count++
    if (isFinal(e)) finished = true
  }

  return {
    lastEventId: () => (lastSeq === undefined ? undefined : String(lastSeq)),
    finished: () => finished,
    delivered: () => count,
    accept: (frame) => {
      const out: Array<StreamEvent> = []
      switch (frame.event) {
        case "resync":
          return out
        case "snapshot": {
          const { progress, results: snapshotResults, seq } = frame.data
          const unseen: Array<StreamEvent> = [...snapshotResults]
          if (progress !== null && isNew(progress.seq)) unseen.push({ event: "progress", data: progress })
          // In the order the execution sent them, the progress count among the results.
          for (const e of unseen.sort((a, b) => a.data.seq - b.data.seq)) deliver(e, out)
          lastSeq = seq
          return out
        }
        default:
          if (!isNew(frame.data.seq)) return out
          lastSeq = frame.data.seq
          deliver(frame, out)
          return out
      }
    }
  }
}

/**
 * The execution a streaming response is about, when the server keeps it
 * readable as a resource (it says so with `Content-Location`); undefined
 * otherwise, and the stream cannot be resumed.
 */
export const resourceIdOf = (header: (name: string) => string | undefined): string | undefined => {
  const location = /^\/executions\/([^/?#]+)$/.exec(header("content-location") ?? "")?.[1]
  if (location === undefined) return undefined
  try {
    return header("x-execution-id") ?? decodeURIComponent(location)
  } catch {
    return undefined
  }
}
