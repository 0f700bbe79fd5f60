/**
 * What `GET /executions/{id}/events` sends a follower: the execution's
 * events, and the two that are not execution events, `snapshot` (every
 * result so far, sent to a reader joining without a position) and `resync`
 * (the position it gave was never sent; a snapshot follows). Checked
 * against shapes generated from the protocol's Schemas, like the events.
 *
 * @since 0.3.0
 */
import { Either } from "effect"
import type { ResyncData, SnapshotData } from "../protocol/executions.js"
import { ProtocolError } from "./ClientError.js"
import { makeFrameDecoder } from "./EventDecoder.js"
import type { FrameDecoder } from "./EventDecoder.js"
import { formatIssue } from "./internal/Shape.js"
import type { Issue } from "./internal/Shape.js"
import { checkResync, checkSnapshot } from "./internal/wire.js"
import { decodeEvent, isFinal } from "./StreamEvent.js"
import type { StreamEvent } from "./StreamEvent.js"

export type { ResyncData, SnapshotData } from "../protocol/executions.js"

/**
 * One frame of a followed execution: an event, a `snapshot` or a `resync`.
 *
 * @since 0.3.0
 * @category models
 */
export type FollowFrame =
  | StreamEvent
  | { readonly event: "snapshot"; readonly data: SnapshotData }
  | { readonly event: "resync"; readonly data: ResyncData }

const control = <A>(name: string, data: string, check: (u: unknown) => Either.Either<A, Issue>) =>
  Either.try({
    try: (): unknown => JSON.parse(data),
    catch: () => new ProtocolError({ detail: `the data of a "${name}" event is not JSON: ${data.slice(0, 200)}` })
  }).pipe(Either.flatMap((payload) =>
    Either.mapLeft(check(payload), (issue) => new ProtocolError({ detail: `a "${name}" event does not match its schema: ${formatIssue(issue)}` }))
  ))

/**
 * Decodes one SSE event of a followed execution; an unknown name decodes
 * to `undefined`.
 *
 * @since 0.3.0
 * @category decoding
 */
export const decodeFollowFrame = (name: string, data: string): Either.Either<FollowFrame | undefined, ProtocolError> => {
  if (name === "snapshot") return Either.map(control(name, data, checkSnapshot), (d): FollowFrame => ({ event: "snapshot", data: d }))
  if (name === "resync") return Either.map(control(name, data, checkResync), (d): FollowFrame => ({ event: "resync", data: d }))
  return decodeEvent(name, data)
}

/** Whether nothing follows this frame (the execution's final event). */
const isLastFrame = (frame: FollowFrame): boolean => frame.event !== "snapshot" && frame.event !== "resync" && isFinal(frame)

/** A decoder of one body of `GET /executions/{id}/events` (or of `POST /execute/stream`, whose frames are events only). */
export const makeFollowDecoder = (): FrameDecoder<FollowFrame> => makeFrameDecoder({ decode: decodeFollowFrame, isLast: isLastFrame })
