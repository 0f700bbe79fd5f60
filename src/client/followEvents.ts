/**
 * An execution's events over as many connections as it takes, for the
 * Promise client: the first response (of `POST /execute/stream`, or of
 * `GET /executions/{id}/events` for `attach`), then, each time a
 * connection drops before the final event, `GET /executions/{id}/events`
 * with `Last-Event-ID` set to the last `seq` seen, after a backoff with
 * jitter, a bounded number of tries in a row. The user sees one sequence:
 * the cursor drops what was seen and unfolds snapshots into what was not.
 */
import { Aborted, StreamInterrupted } from "./ClientError.js"
import type { FetchTarget } from "./fetchRequest.js"
import { send } from "./fetchRequest.js"
import { makeFollowDecoder } from "./FollowFrame.js"
import { makeFollowCursor, resourceIdOf } from "./internal/FollowCursor.js"
import { readFrames } from "./readEvents.js"
import { backoffMs, isTransient } from "./ResumeOptions.js"
import type { ResumePolicy } from "./ResumeOptions.js"
import type { StreamEvent } from "./StreamEvent.js"

export interface FollowSpec {
  readonly target: FetchTarget
  /** Sends the request that starts the execution; absent to follow `executionId` from the start. */
  readonly open?: ((signal: AbortSignal) => Promise<Response>) | undefined
  readonly executionId?: string | undefined
  /** Resuming; undefined for a single connection (a drop is `StreamInterrupted`). */
  readonly policy: ResumePolicy | undefined
  /** Whether to cancel the execution on the server when the user stops before its end (it was started to continue without a reader). */
  readonly cancelOnLeave: boolean
  readonly signal?: AbortSignal | undefined
}

/** The path of an execution's events. */
export const eventsPath = (executionId: string): string => `/executions/${encodeURIComponent(executionId)}/events`

/** Waits `ms`, or fails with `Aborted` when `signal` aborts first. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted({ reason: signal.reason }))
    const onAbort = () => {
      clearTimeout(timer)
      reject(new Aborted({ reason: signal.reason }))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort)
      resolve()
    }, ms)
    signal.addEventListener("abort", onAbort, { once: true })
  })

/** Yields the execution's events once each, resuming after drops; see the module's comment. */
export async function* followEvents(spec: FollowSpec): AsyncGenerator<StreamEvent, void, undefined> {
  const { target, policy } = spec
  // An own controller as well, so that leaving the loop closes the connection whatever `fetch` does with a cancelled body.
  const controller = new AbortController()
  const onAbort = () => controller.abort(spec.signal?.reason)
  spec.signal?.addEventListener("abort", onAbort, { once: true })
  if (spec.signal?.aborted === true) onAbort()
  const cursor = makeFollowCursor()
  // Known from the start (attach), or from the first response's headers: never from an event, which any server sends.
  let executionId = spec.executionId
  const follow = (id: string) => {
    const last = cursor.lastEventId()
    return send(target, eventsPath(id), {
      method: "GET",
      accept: "text/event-stream",
      headers: last === undefined ? {} : { "last-event-id": last },
      signal: controller.signal
    })
  }
  try {
    const first = spec.open !== undefined ? await spec.open(controller.signal) : await follow(spec.executionId ?? "")
    if (spec.open !== undefined) executionId = resourceIdOf((name) => first.headers.get(name) ?? undefined)
    let response: Response | undefined = first
    let failures = 0
    let lastProblem: unknown
    while (true) {
      if (response !== undefined) {
        // The execution's final event is behind the position sent: nothing more will come (never after events this cursor took).
        if (response.status === 204) throw new StreamInterrupted({ executionId, received: cursor.delivered(), cause: undefined })
        try {
          for await (const frame of readFrames(response, makeFollowDecoder(), { signal: controller.signal })) {
            const events = cursor.accept(frame)
            // A try that brought something new resets the count of tries in a row.
            if (events.length > 0) failures = 0
            for (const e of events) yield e
          }
          return
        } catch (error) {
          if (!(error instanceof StreamInterrupted) || policy === undefined || executionId === undefined) throw error
          lastProblem = error.cause
        }
      }
      const id = executionId
      if (policy === undefined || id === undefined || failures >= policy.retries) {
        throw new StreamInterrupted({ executionId: id, received: cursor.delivered(), cause: lastProblem })
      }
      await sleep(backoffMs(policy, failures), controller.signal)
      failures++
      try {
        response = await follow(id)
      } catch (error) {
        if (!isTransient(error)) throw new StreamInterrupted({ executionId: id, received: cursor.delivered(), cause: error })
        lastProblem = error
        response = undefined
      }
    }
  } finally {
    spec.signal?.removeEventListener("abort", onAbort)
    controller.abort()
    const id = executionId
    if (spec.cancelOnLeave && !cursor.finished() && id !== undefined) {
      // Started to continue without a reader: stopping early must still stop it, as closing the connection does otherwise.
      send(target, `/executions/${encodeURIComponent(id)}/cancel`, { method: "POST", accept: "application/json" })
        .then((r) => r.body?.cancel(), () => undefined)
        .catch(() => undefined)
    }
  }
}
