/**
 * The executions the service keeps readable: every streamed, WebSocket and
 * resource execution from its start until `retentionMs` after its end
 * (bounded by count and bytes, the oldest finished first out), so a reader
 * can join it, resume after a dropped connection, or ask its state.
 *
 * Also the lease of an execution that runs on without a listener
 * (`onDisconnect: "continue"`): while nobody follows it, a timer of
 * `leaseMs` runs; a reader attaching stops it, the last one leaving starts
 * it again, and when it fires the execution is cancelled (`lease_expired`).
 * Timers run on the service's clock, so tests drive them with `TestClock`.
 */
import { Context, Duration, Effect, Layer, Schedule } from "effect"
import { timingSafeEqual } from "node:crypto"
import type { Value } from "../../lang/value.js"
import type { ErrorInfo } from "../../runtime/ExecutionEvent.js"
import type { ExecutionLog } from "../../runtime/ExecutionLog.js"
import { Forks } from "../../runtime/internal/Forks.js"
import { valueSize } from "../../runtime/internal/valueSize.js"
import type { DisconnectPolicy } from "../../protocol/api.js"
import type { ExecutionMode } from "../../protocol/executions.js"
import { Access } from "../security/Access.js"
import { Limits } from "../server/Limits.js"

/** What a retained execution can be asked to do while it runs. */
export interface Controls {
  /** Stops it; its final event carries `error` (nothing when it has ended). */
  readonly cancel: (error: ErrorInfo) => Effect.Effect<void>
}

/** One execution the service keeps. */
export interface RetainedExecution {
  readonly executionId: string
  readonly mode: ExecutionMode
  readonly onDisconnect: DisconnectPolicy
  readonly leaseMs: number
  readonly log: ExecutionLog
  /** Order of start, for paging (`GET /executions?before=`). */
  readonly ordinal: number
  readonly startedAt: number
  /** Set when it has ended. */
  readonly finishedAt: number | undefined
  /** Readers following its events now. */
  readonly subscribers: number
  /** The token that lets an `EventSource` read its events when API keys are on (undefined when they are off). */
  readonly token: string | undefined
}

/** The error of an execution whose lease ran out with nobody listening. */
export const leaseExpired = (leaseMs: number): ErrorInfo => ({
  code: "lease_expired",
  message: `nobody followed the execution for ${leaseMs} ms (its lease); it was cancelled`,
  module: null
})

/** `lookup`'s answer for an id that was retained and no longer is. */
export const EXPIRED = "expired" as const

export interface RetainedShape {
  /** Keeps a new execution; `controls` until it ends. */
  readonly add: (
    info: { readonly executionId: string; readonly mode: ExecutionMode; readonly onDisconnect: DisconnectPolicy; readonly leaseMs: number; readonly log: ExecutionLog },
    controls: Controls
  ) => RetainedExecution
  /** The execution has ended: from now on its retention runs. */
  readonly ended: (execution: RetainedExecution) => void
  readonly lookup: (executionId: string) => RetainedExecution | typeof EXPIRED | undefined
  /** A reader starts following `execution`: its lease stops; call the answer when the reader leaves. */
  readonly subscribe: (execution: RetainedExecution) => () => void
  /** Cancels a running execution (nothing when it has ended). */
  readonly cancel: (execution: RetainedExecution, error: ErrorInfo) => Effect.Effect<void>
  /** Newest first, `limit` of them, started before the one of ordinal `before`. */
  readonly list: (limit: number, before: number | undefined) => ReadonlyArray<RetainedExecution>
  /** Whether `token` is `executionId`'s event token (compared in constant time). */
  readonly tokenMatches: (executionId: string, token: string) => boolean
  /** How many are kept, and how many of them have ended. */
  readonly size: () => { readonly running: number; readonly finished: number; readonly bytes: number }
}

export class Retained extends Context.Tag("@constellation/http/Retained")<Retained, RetainedShape>() {}

class Entry implements RetainedExecution {
  finishedAt: number | undefined = undefined
  subscribers = 0
  bytes = 0
  controls: Controls | undefined
  /** Cancels the running lease timer. */
  stopLease: (() => void) | undefined = undefined

  constructor(
    readonly executionId: string,
    readonly mode: ExecutionMode,
    readonly onDisconnect: DisconnectPolicy,
    readonly leaseMs: number,
    readonly log: ExecutionLog,
    readonly ordinal: number,
    readonly startedAt: number,
    readonly token: string | undefined,
    controls: Controls
  ) {
    this.controls = controls
  }
}

/** Per-event overhead counted on top of values, in bytes. */
const EVENT_BYTES = 200

const bytesOf = (log: ExecutionLog): number => {
  let total = 0
  for (const e of log.resultEvents()) {
    total += EVENT_BYTES
    if (e._tag === "Output") total += valueSize(e.value as Value, Number.MAX_SAFE_INTEGER)
  }
  return total
}

/** The ids of executions no longer kept are remembered (up to this many), so a reader is told `410` rather than `404`. */
const FORGOTTEN_REMEMBERED = 10_000

export const make = Effect.gen(function*() {
  const limits = yield* Limits
  const access = yield* Access
  const clock = yield* Effect.clock
  const runtime = yield* Effect.runtime<never>()
  const timers = new Forks(runtime)
  yield* Effect.addFinalizer(() => timers.interruptAll)

  const entries = new Map<string, Entry>()
  /** Finished executions, oldest end first. */
  const finished = new Map<string, Entry>()
  const forgotten = new Set<string>()
  let finishedBytes = 0
  let ordinal = 0

  const forget = (e: Entry) => {
    entries.delete(e.executionId)
    finished.delete(e.executionId)
    finishedBytes -= e.bytes
    forgotten.add(e.executionId)
    if (forgotten.size > FORGOTTEN_REMEMBERED) forgotten.delete(forgotten.values().next().value!)
  }

  /** Drops the finished executions past their retention, and the oldest while over the bounds. */
  const sweep = () => {
    const now = clock.unsafeCurrentTimeMillis()
    for (const e of finished.values()) {
      const over = finished.size > limits.retainedExecutions || finishedBytes > limits.retainedBytes
      if (!over && now - e.finishedAt! < limits.retentionMs) break
      forget(e)
    }
  }
  const sweepEvery = Duration.millis(Math.min(1_000, Math.max(10, Math.floor(limits.retentionMs / 10))))
  yield* Effect.forkScoped(Effect.repeat(Effect.sync(sweep), Schedule.spaced(sweepEvery)))

  const startLease = (e: Entry) => {
    if (e.onDisconnect !== "continue" || e.finishedAt !== undefined || e.stopLease !== undefined) return
    const fiber = timers.fork(Effect.zipRight(
      Effect.sleep(Duration.millis(e.leaseMs)),
      Effect.suspend(() => {
        e.stopLease = undefined
        return e.controls === undefined ? Effect.void : e.controls.cancel(leaseExpired(e.leaseMs))
      })
    ))
    // Through a local: a function literal assigned to a property is allocated in V8's old generation (test/architecture/pretenuredClosures.test.ts).
    const stop = () => {
      e.stopLease = undefined
      fiber.unsafeInterruptAsFork(fiber.id())
    }
    e.stopLease = stop
  }

  const add: RetainedShape["add"] = (info, controls) => {
    const token = access.eventToken(info.executionId)
    const e = new Entry(
      info.executionId, info.mode, info.onDisconnect, info.leaseMs, info.log, ordinal++,
      clock.unsafeCurrentTimeMillis(), token, controls
    )
    entries.set(e.executionId, e)
    startLease(e)
    return e
  }

  const ended: RetainedShape["ended"] = (execution) => {
    const e = execution as Entry
    if (e.finishedAt !== undefined || !entries.has(e.executionId)) return
    e.finishedAt = clock.unsafeCurrentTimeMillis()
    e.controls = undefined
    e.stopLease?.()
    e.log.trim()
    e.bytes = bytesOf(e.log)
    finishedBytes += e.bytes
    finished.set(e.executionId, e)
    if (limits.retentionMs === 0 || finished.size > limits.retainedExecutions || finishedBytes > limits.retainedBytes) sweep()
  }

  const subscribe: RetainedShape["subscribe"] = (execution) => {
    const e = execution as Entry
    e.subscribers++
    e.stopLease?.()
    let left = false
    return () => {
      if (left) return
      left = true
      e.subscribers--
      if (e.subscribers === 0) startLease(e)
    }
  }

  const tokenMatches: RetainedShape["tokenMatches"] = (executionId, token) => {
    // An execution of another instance sharing the store has a token of the same making.
    const expected = entries.get(executionId)?.token ?? access.eventToken(executionId)
    if (expected === undefined) return false
    const a = Buffer.from(token)
    const b = Buffer.from(expected)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  const list: RetainedShape["list"] = (limit, before) => {
    const all = [...entries.values()]
    const out: Array<RetainedExecution> = []
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const e = all[i]!
      if (before === undefined || e.ordinal < before) out.push(e)
    }
    return out
  }

  return Retained.of({
    add,
    ended,
    lookup: (id) => entries.get(id) ?? (forgotten.has(id) ? EXPIRED : undefined),
    subscribe,
    cancel: (execution, error) => Effect.suspend(() => (execution as Entry).controls?.cancel(error) ?? Effect.void),
    list,
    tokenMatches,
    size: () => ({ running: entries.size - finished.size, finished: finished.size, bytes: finishedBytes })
  })
})

export const layer: Layer.Layer<Retained, never, Limits | Access> = Layer.scoped(Retained, make)

/** The time now on `clock`, as ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString()
