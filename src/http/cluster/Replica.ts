/**
 * Executions of other instances, as this one sees them: a replica of each
 * one's log, loaded from its Redis stream and kept current by the tailer,
 * readable like a local one (`followResponse`, `stateOf`). A replica is
 * kept while something here uses it, and a few seconds after.
 */
import { Effect } from "effect"
import type { Redis } from "ioredis"
import type { ErrorInfo } from "../../runtime/ExecutionEvent.js"
import { ExecutionLog } from "../../runtime/ExecutionLog.js"
import { DisconnectPolicy } from "../../protocol/api.js"
import { ExecutionMode } from "../../protocol/executions.js"
import { Schema } from "effect"
import { EXPIRED } from "../executions/Retained.js"
import type { RemoteExecution } from "./Cluster.js"
import { decodeEvent, entryText } from "./eventCodec.js"
import type { Keys } from "./keys.js"
import { seqOf } from "./keys.js"
import type { Entries, Tailer } from "./Tailer.js"

/** How long an unused replica is kept, in milliseconds. */
const IDLE_MS = 5_000

/** What replicas need besides Redis. */
export interface ReplicaContext {
  readonly command: Redis
  readonly keys: Keys
  readonly tailer: Tailer
  readonly heartbeatMs: number
  readonly now: () => number
  /** Sends a control message to `owner`; answers how many received it. */
  readonly control: (owner: string, message: { readonly type: "cancel"; readonly executionId: string; readonly error: ErrorInfo } | { readonly type: "hold" | "release"; readonly executionId: string }) => Promise<number>
  /** Nobody listens on `owner`'s channel: ends its executions if it is lost. */
  readonly ownerSilent: (owner: string) => Promise<void>
}

const Meta = Schema.Struct({
  owner: Schema.String,
  outputs: Schema.parseJson(Schema.Array(Schema.String)),
  mode: ExecutionMode,
  onDisconnect: DisconnectPolicy,
  leaseMs: Schema.NumberFromString,
  startedAt: Schema.NumberFromString,
  ordinal: Schema.NumberFromString,
  token: Schema.optional(Schema.String)
})
const decodeMeta = Schema.decodeUnknownOption(Meta)

class Replica implements RemoteExecution {
  users = 1
  subscribers = 0
  private stopTail: (() => void) | undefined
  private idle: NodeJS.Timeout | undefined
  private holding: NodeJS.Timeout | undefined
  private readonly waiters = new Set<() => void>()

  constructor(
    readonly executionId: string,
    readonly owner: string,
    readonly mode: ExecutionMode,
    readonly onDisconnect: DisconnectPolicy,
    readonly leaseMs: number,
    readonly startedAt: number,
    readonly ordinal: number,
    readonly token: string | undefined,
    readonly log: ExecutionLog,
    private readonly context: ReplicaContext,
    private readonly forget: (r: Replica) => void
  ) {}

  get finishedAt(): number | undefined {
    return this.log.finalEvent?.timestamp
  }

  /** Adds entries read from the stream. */
  deliver(entries: Entries): void {
    for (const [id, fields] of entries) {
      const text = entryText(fields)
      const event = text === undefined ? undefined : decodeEvent(text, seqOf(id))
      if (event !== undefined) this.log.replicate(event)
    }
    if (this.log.finished) {
      this.stopTail?.()
      this.stopTail = undefined
      this.stopHolding()
    }
    for (const wake of [...this.waiters]) wake()
  }

  tail(): void {
    if (this.log.finished || this.stopTail !== undefined) return
    this.stopTail = this.context.tailer.follow(this.context.keys.stream(this.executionId), this.log.lastSeq, (entries) => this.deliver(entries))
  }

  readonly subscribe = (): (() => void) => {
    this.users++
    this.subscribers++
    if (this.subscribers === 1) this.startHolding()
    let left = false
    return () => {
      if (left) return
      left = true
      this.subscribers--
      if (this.subscribers === 0) this.stopHolding()
      this.release()
    }
  }

  /** While a reader here follows an execution that goes on without one, its owner is told so (its lease does not run). */
  private startHolding(): void {
    if (this.onDisconnect !== "continue" || this.log.finished || this.holding !== undefined) return
    const hold = () => void this.context.control(this.owner, { type: "hold", executionId: this.executionId }).catch(() => undefined)
    hold()
    this.holding = setInterval(hold, this.context.heartbeatMs)
  }

  private stopHolding(): void {
    if (this.holding === undefined) return
    clearInterval(this.holding)
    this.holding = undefined
    if (!this.log.finished) void this.context.control(this.owner, { type: "release", executionId: this.executionId }).catch(() => undefined)
  }

  readonly cancel = (error: ErrorInfo): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (this.log.finished) return Effect.void
      return Effect.promise(() =>
        this.context.control(this.owner, { type: "cancel", executionId: this.executionId, error }).then(
          (received) => (received === 0 ? this.context.ownerSilent(this.owner) : undefined),
          () => undefined
        )
      ).pipe(Effect.zipRight(this.awaitSeq(Number.MAX_SAFE_INTEGER, 5_000)))
    })

  readonly awaitSeq = (seq: number, timeoutMs: number): Effect.Effect<void> =>
    Effect.async<void>((resume) => {
      const check = () => {
        if (this.log.lastSeq < seq && !this.log.finished) return false
        done()
        return true
      }
      const timer = setTimeout(() => done(), timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        resume(Effect.void)
      }
      const wake = () => void check()
      if (check()) return
      this.waiters.add(wake)
      return Effect.sync(() => {
        clearTimeout(timer)
        this.waiters.delete(wake)
      })
    })

  readonly release = (): void => {
    this.users--
    if (this.users > 0 || this.idle !== undefined) return
    this.idle = setTimeout(() => {
      this.idle = undefined
      if (this.users > 0) return
      this.close()
    }, IDLE_MS)
    this.idle.unref()
  }

  /** Used again before it was dropped. */
  reuse(): void {
    this.users++
    if (this.idle !== undefined) {
      clearTimeout(this.idle)
      this.idle = undefined
    }
  }

  close(): void {
    this.stopTail?.()
    this.stopTail = undefined
    if (this.holding !== undefined) clearInterval(this.holding)
    this.holding = undefined
    if (this.idle !== undefined) clearTimeout(this.idle)
    this.idle = undefined
    for (const wake of [...this.waiters]) wake()
    this.forget(this)
  }
}

/** The replicas of one instance. */
export class Replicas {
  private readonly replicas = new Map<string, Replica>()
  private readonly loading = new Map<string, Promise<Replica | typeof EXPIRED | undefined>>()

  constructor(private readonly context: ReplicaContext) {}

  /** The replica of `executionId` (the caller releases it), expired, or unknown. */
  acquire(executionId: string): Promise<RemoteExecution | typeof EXPIRED | undefined> {
    const found = this.replicas.get(executionId)
    if (found !== undefined) {
      found.reuse()
      return Promise.resolve(found)
    }
    let pending = this.loading.get(executionId)
    if (pending === undefined) {
      pending = this.load(executionId).finally(() => this.loading.delete(executionId))
      this.loading.set(executionId, pending)
      return pending
    }
    return pending.then((r) => {
      if (r instanceof Replica) r.reuse()
      return r
    })
  }

  private async load(executionId: string): Promise<Replica | typeof EXPIRED | undefined> {
    const { command, keys } = this.context
    const [fields, score] = await Promise.all([command.hgetall(keys.meta(executionId)), command.zscore(keys.index, executionId)])
    const meta = decodeMeta(fields)
    if (meta._tag === "None") return score === null ? undefined : EXPIRED
    const m = meta.value
    const log = new ExecutionLog(executionId, m.outputs, this.context.now)
    const replica = new Replica(
      executionId, m.owner, m.mode, m.onDisconnect, m.leaseMs, m.startedAt, m.ordinal, m.token, log, this.context,
      (r) => {
        if (this.replicas.get(r.executionId) === r) this.replicas.delete(r.executionId)
      }
    )
    replica.deliver(await command.xrange(keys.stream(executionId), "-", "+"))
    this.replicas.set(executionId, replica)
    replica.tail()
    return replica
  }

  /** Drops every replica (the service is closing). */
  closeAll(): void {
    for (const r of [...this.replicas.values()]) r.close()
  }
}
