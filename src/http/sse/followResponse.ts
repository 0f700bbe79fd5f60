/**
 * `GET /executions/{id}/events`: a reader joining (or rejoining) a kept
 * execution, as Server-Sent Events a browser's native `EventSource` can
 * read. Every event's SSE id is its `seq`, so a reconnect resumes exactly.
 *
 * Where it starts:
 * - `Last-Event-ID` (or `?lastEventId=`) a `seq` this execution sent, or an
 *   output's name (the ids of `POST /execute/stream`): the events after it,
 *   then the live tail. Nothing twice, nothing skipped (module and progress
 *   events compacted meanwhile are the only ones a late reader may miss).
 * - no position: a `snapshot` (every result so far, each output's status,
 *   the newest progress count), then the tail after it.
 * - a position this execution never sent: a `resync` event, then as
 *   without one.
 * - the position of its final event, on an execution that has ended:
 *   `204 No Content`, which tells an `EventSource` to stop reconnecting.
 *
 * The reader never holds the execution back: a slow one waits on its own
 * connection while the execution goes on. Following renews the lease of an
 * execution that continues without a listener.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import type { ExecutionLog, LogReader } from "../../runtime/ExecutionLog.js"
import { snapshotOf } from "../../runtime/ExecutionSnapshot.js"
import { toWire } from "../../protocol/events.js"
import type { ResyncData, SnapshotData } from "../../protocol/executions.js"
import type { RetainedExecution, RetainedShape } from "../executions/Retained.js"
import { EventStream, idBySeq, opening } from "./EventStream.js"
import type { EventStreamOptions } from "./EventStream.js"
import { streamHeaders, streamResponse } from "./eventStreamResponse.js"
import { controlFrame, retryFrame } from "./sseFrames.js"

export interface FollowOptions extends EventStreamOptions {
  /** The `retry:` interval sent first, in milliseconds. */
  readonly retryMs: number
}

/** Where a reader starts: after a `seq`, at the end (204), or from a snapshot (with a resync first when its id was not ours). */
export type Start =
  | { readonly _tag: "After"; readonly seq: number }
  | { readonly _tag: "Ended" }
  | { readonly _tag: "Snapshot"; readonly resync: string | undefined }

const SEQ = /^-?\d{1,15}$/

/** The `seq` after which a reader that last saw `lastEventId` resumes, or why it cannot. */
export const startOf = (log: ExecutionLog, lastEventId: string | undefined): Start => {
  if (lastEventId === undefined || lastEventId === "") return { _tag: "Snapshot", resync: undefined }
  let seq: number | undefined
  if (SEQ.test(lastEventId)) {
    const n = Number(lastEventId)
    if (n >= -1 && n <= log.lastSeq) seq = n
  } else {
    seq = log.resultEvents().find((e) => (e._tag === "Output" || e._tag === "OutputFailed") && e.name === lastEventId)?.seq
  }
  if (seq === undefined) return { _tag: "Snapshot", resync: lastEventId }
  const final = log.finalEvent
  if (final !== undefined && seq >= final.seq) return { _tag: "Ended" }
  return { _tag: "After", seq }
}

/** The snapshot of `log` now, on the wire. */
export const wireSnapshotOf = (log: ExecutionLog): SnapshotData => {
  const s = snapshotOf(log)
  return {
    executionId: s.executionId,
    seq: s.seq,
    results: s.results.map((e) => {
      const { event, data } = toWire(e)
      return { event, data } as SnapshotData["results"][number]
    }),
    outputStatus: Object.fromEntries(s.outputStatus),
    progress: s.progress === undefined ? null : toWire(s.progress).data as SnapshotData["progress"],
    finished: s.finished
  }
}

/** The answer to a reader of `execution` that last saw `lastEventId`. */
export const followResponse = (
  retained: Pick<RetainedShape, "subscribe">,
  execution: RetainedExecution,
  lastEventId: string | undefined,
  options: FollowOptions
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (http) => {
    const { log, executionId } = execution
    const start = startOf(log, lastEventId)
    if (start._tag === "Ended") return Effect.succeed(HttpServerResponse.empty({ status: 204, headers: { "x-execution-id": executionId } }))
    const leave = retained.subscribe(execution)
    let after: number
    const preface: Array<string> = [retryFrame(options.retryMs)]
    if (start._tag === "After") after = start.seq
    else {
      if (start.resync !== undefined) {
        const resync: ResyncData = {
          executionId,
          reason: "unknown_event_id",
          lastEventId: start.resync.slice(0, 200),
          message: "This execution never sent that event id; a snapshot of what it has sent follows."
        }
        preface.push(controlFrame("resync", undefined, resync))
      }
      const snapshot = wireSnapshotOf(log)
      preface.push(controlFrame("snapshot", String(snapshot.seq), snapshot))
      after = snapshot.seq
    }
    let reader: LogReader | undefined = undefined
    const stream: EventStream = new EventStream(opening(executionId), options, idBySeq, () => {
      reader?.close()
      leave()
      stream.end()
    })
    for (const text of preface) stream.writeRaw(text)
    reader = log.read(stream.writer, { after, onEnd: () => { leave(); stream.end() } })
    return streamResponse(http, stream, streamHeaders(executionId))
  })
