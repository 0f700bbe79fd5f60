/**
 * An execution's events over as many connections as it takes, for the
 * Effect client: the first response (`POST /execute/stream`, or
 * `GET /executions/{id}/events` for `attach`), then after each drop
 * `GET /executions/{id}/events` with `Last-Event-ID`, retried on a capped
 * exponential schedule with full jitter (`Stream.retry`, whose schedule
 * starts over once an event gets through). The cursor makes the user's
 * sequence one run's: each output once, in order.
 */
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Duration, Effect, Schedule, Stream } from "effect"
import type { Scope } from "effect"
import { ProtocolError, StreamInterrupted } from "./ClientError.js"
import type { HttpClientFailure } from "./ConstellationHttpClient.js"
import { makeFollowDecoder } from "./FollowFrame.js"
import type { FollowFrame } from "./FollowFrame.js"
import { makeFollowCursor, resourceIdOf } from "./internal/FollowCursor.js"
import { isEventStream } from "./responseBody.js"
import { isTransient } from "./ResumeOptions.js"
import type { ResumePolicy } from "./ResumeOptions.js"
import type { StreamEvent } from "./StreamEvent.js"

type Response = HttpClientResponse.HttpClientResponse

export interface ResumingSpec {
  /** The request that starts the execution, in the stream's scope; absent to follow `executionId` from the start. */
  readonly open?: Effect.Effect<Response, HttpClientFailure, Scope.Scope> | undefined
  readonly executionId?: string | undefined
  /** `GET /executions/{id}/events`, after `lastEventId` when given. */
  readonly follow: (executionId: string, lastEventId: string | undefined) => Effect.Effect<Response, HttpClientFailure, Scope.Scope>
  /** `POST /executions/{id}/cancel`, its failures ignored. */
  readonly cancel: (executionId: string) => Effect.Effect<void>
  /** Resuming; undefined for a single connection. */
  readonly policy: ResumePolicy | undefined
  /** Whether to cancel the execution when the stream stops before its end (it was started to continue without a reader). */
  readonly cancelOnLeave: boolean
}

/** The waits between tries: exponential from `initialDelayMs`, capped, a random part of each (full jitter), `retries` at most. */
const scheduleOf = (policy: ResumePolicy) =>
  Schedule.exponential(Duration.millis(Math.max(1, policy.initialDelayMs))).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.millis(policy.maxDelayMs))),
    Schedule.jitteredWith({ min: 0, max: 1 }),
    Schedule.intersect(Schedule.recurs(policy.retries))
  )

const isLastFrame = (f: FollowFrame): boolean =>
  (f.event === "output" || f.event === "complete" || f.event === "error") && f.data.isFinal

/** The frames of one event-stream response; fails with `StreamInterrupted` if it stops before the final event. */
const framesOf = (response: Response): Stream.Stream<FollowFrame, HttpClientFailure> => {
  const contentType = response.headers["content-type"]
  if (!isEventStream(contentType)) {
    return Stream.fail(new ProtocolError({ detail: `expected text/event-stream, got "${contentType ?? "no content type"}"` }))
  }
  const decoder = makeFollowDecoder()
  const ended = Stream.suspend(() => decoder.finished() ? Stream.empty : Stream.fail(decoder.interrupted()))
  return response.stream.pipe(
    Stream.decodeText(),
    Stream.mapError((e) => decoder.interrupted(e.cause ?? e)),
    Stream.mapEffect((chunk) => decoder.feed(chunk)),
    Stream.flattenIterables,
    Stream.takeUntil(isLastFrame),
    Stream.concat(ended)
  )
}

/** The events of one execution, resumed after drops; see the module's comment. */
export const resumingStream = (spec: ResumingSpec): Stream.Stream<StreamEvent, HttpClientFailure> =>
  Stream.suspend(() => {
    const cursor = makeFollowCursor()
    let executionId = spec.executionId
    let connected = false
    /** The server said the final event is behind the position sent (204): no try can bring more. */
    let ended = false

    const connect = Effect.suspend((): Effect.Effect<Response, HttpClientFailure, Scope.Scope> => {
      if (!connected && spec.open !== undefined) {
        return Effect.tap(spec.open, (response) => {
          executionId = resourceIdOf((name) => response.headers[name])
        })
      }
      return spec.follow(executionId ?? "", cursor.lastEventId())
    })

    const once = Stream.unwrapScoped(Effect.map(connect, (response) => {
      connected = true
      if (response.status === 204) {
        ended = true
        return Stream.fail(new StreamInterrupted({ executionId, received: cursor.delivered(), cause: undefined }))
      }
      return Stream.mapConcat(framesOf(response), cursor.accept)
    }))

    const policy = spec.policy
    const resumed = policy === undefined ? once : Stream.retry(
      once,
      scheduleOf(policy).pipe(Schedule.whileInput((e: HttpClientFailure) => executionId !== undefined && connected && !ended && isTransient(e)))
    )

    return resumed.pipe(
      // A failure once connected means the execution's events stopped early: say so, with what went wrong last.
      Stream.mapError((e): HttpClientFailure =>
        !connected || executionId === undefined || e._tag === "ProtocolError"
          ? e
          : new StreamInterrupted({ executionId, received: cursor.delivered(), cause: e._tag === "StreamInterrupted" ? e.cause : e })
      ),
      Stream.ensuring(Effect.suspend(() =>
        spec.cancelOnLeave && !cursor.finished() && executionId !== undefined ? spec.cancel(executionId) : Effect.void
      ))
    )
  })
