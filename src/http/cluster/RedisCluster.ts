/**
 * The Redis store (`REDIS_URL`): see `Cluster.ts` for what it shares, and
 * docs/deployment.md for running it. Built from the log mirrors (this
 * instance's executions, written alongside), the replicas (other
 * instances' executions, read from their streams), the control channel and
 * the heartbeat that ends a lost instance's executions.
 */
import { Effect, Layer, Runtime, Schedule } from "effect"
import { instanceLostError } from "../../protocol/executions.js"
import { ExecutionMode, ExecutionStatus } from "../../protocol/executions.js"
import type { ExecutionSummary } from "../../protocol/executions.js"
import { Schema } from "effect"
import { summaryOf } from "../executions/executionState.js"
import { EXPIRED, Retained } from "../executions/Retained.js"
import { OverCapacity, StoreUnavailable } from "../HttpError.js"
import { Limits } from "../server/Limits.js"
import { Cluster } from "./Cluster.js"
import type { ClusterShape, ListedExecution } from "./Cluster.js"
import { ClusterConfig } from "./ClusterConfig.js"
import * as Control from "./Control.js"
import { keysOf } from "./keys.js"
import { LogMirror } from "./LogMirror.js"
import type { MirrorSink } from "./LogMirror.js"
import * as Reaper from "./Reaper.js"
import { call, RedisConnection } from "./RedisConnection.js"
import * as RedisConnectionLayer from "./RedisConnection.js"
import { Replicas } from "./Replica.js"
import * as Scripts from "./scripts.js"
import { Tailer } from "./Tailer.js"

const noop = (): void => undefined

/** How many ordinals one millisecond holds: the list's order is the start time, then the start's rank in that millisecond. */
const PER_MS = 1024

export const make = Effect.gen(function*() {
  const config = yield* ClusterConfig
  const redis = yield* RedisConnection
  const retained = yield* Retained
  const limits = yield* Limits
  const clock = yield* Effect.clock
  const runtime = yield* Effect.runtime<never>()
  const runFork = Runtime.runFork(runtime)
  const now = () => clock.unsafeCurrentTimeMillis()
  const keys = keysOf(config.keyPrefix)
  const { command } = redis
  const me = config.instanceId
  // A running execution's keys outlive its deadline; once it has ended, its retention.
  const runningTtlMs = limits.deadlineMs + limits.retentionMs + config.instanceTtlMs + 60_000
  const finishedTtlMs = Math.max(1, limits.retentionMs)
  const limit = config.clusterMaxConcurrentExecutions

  const unavailable = (reason: string) =>
    new StoreUnavailable({
      message: `The shared store is unavailable (${reason}); no new execution starts until it is back.`,
      retryAfterSeconds: limits.retryAfterSeconds
    })
  const clusterFull = new OverCapacity({
    message: `The cluster is running its maximum of ${limit ?? 0} executions; retry shortly.`,
    retryAfterSeconds: limits.retryAfterSeconds
  })

  const mirrors = new Map<string, LogMirror>()
  let rank = 0

  /** The claims on the cluster-wide limit held here, renewed every heartbeat until given back. */
  const claims = new Set<string>()
  const giveBack = (id: string) => {
    if (limit === undefined || !claims.delete(id)) return
    command.zrem(keys.running, id).catch(noop)
  }

  const sink: MirrorSink = {
    ownerId: me,
    runningTtlMs,
    finishedTtlMs,
    append: (e, write, meta, events) => {
      const id = e.executionId
      const op = `${write.register ? "r" : ""}${write.ending ? "e" : ""}`
      let header = ""
      let payload = ""
      for (let i = 0; i + 1 < events.length; i += 2) {
        const text = events[i + 1] as string
        header += `${i === 0 ? "" : ","}${events[i]}:${Buffer.byteLength(text)}`
        payload += text
      }
      return Scripts.run(command, Scripts.append, [keys.stream(id), keys.meta(id), keys.owned(me), keys.index], [
        write.ttlMs, op, id, write.ordinal, meta.length / 2, ...meta, header, payload
      ]).then(Number)
    },
    finished: (e) => {
      mirrors.delete(e.executionId)
      giveBack(e.executionId)
    },
    endedElsewhere: (e) => {
      mirrors.delete(e.executionId)
      runFork(retained.cancel(e, instanceLostError(me)))
    },
    up: () => redis.down() === undefined
  }

  const reaperContext: Reaper.ReaperContext = { command, keys, instanceId: me, instanceTtlMs: config.instanceTtlMs, finishedTtlMs, now }

  const tailer = new Tailer(redis.blocking, command)
  yield* Effect.forkScoped(tailer.run)
  const replicas = new Replicas({
    command,
    keys,
    tailer,
    heartbeatMs: config.heartbeatMs,
    now,
    control: (owner, message) => Control.send(command, keys.control(owner), message.type === "cancel" ? message : { ...message, from: me }),
    ownerSilent: async (owner) => {
      if ((await command.exists(keys.heartbeat(owner))) === 0) await Reaper.reap(reaperContext, owner)
    }
  })

  // Readers on other instances hold the lease of an execution running here.
  const holds = new Map<string, { readonly leave: () => void; timer: NodeJS.Timeout }>()
  const dropHold = (key: string) => {
    const hold = holds.get(key)
    if (hold === undefined) return
    holds.delete(key)
    clearTimeout(hold.timer)
    hold.leave()
  }
  const onControl = (message: Control.ControlMessage) => {
    const e = retained.lookup(message.executionId)
    if (e === undefined || e === EXPIRED) return
    if (message.type === "cancel") {
      runFork(retained.cancel(e, message.error))
      return
    }
    const key = `${message.from}\u0000${message.executionId}`
    if (message.type === "release") return dropHold(key)
    const found = holds.get(key)
    const timer = setTimeout(() => dropHold(key), 3 * config.heartbeatMs)
    timer.unref()
    if (found !== undefined) {
      clearTimeout(found.timer)
      found.timer = timer
    } else holds.set(key, { leave: retained.subscribe(e), timer })
  }
  yield* Effect.forkScoped(Effect.promise(() => Control.listen(redis.subscriber, keys.control(me), onControl).catch(noop)))

  // Back after an outage: what could not be written is written again.
  const stopResync = redis.onReady(() => {
    for (const m of mirrors.values()) m.resync()
  })

  const heartbeat = Effect.promise(async () => {
    await Reaper.beat(reaperContext).catch(noop)
    if (claims.size > 0) {
      const until = now() + config.instanceTtlMs
      for (const id of claims) command.zadd(keys.running, "XX", until, id).catch(noop)
    }
    command.zremrangebyscore(keys.index, "-inf", (now() - runningTtlMs) * PER_MS).catch(noop)
    // Finished executions whose log never reached the store, past their retention: given up.
    for (const [id, m] of mirrors) {
      if (m.execution.finishedAt !== undefined && now() - m.execution.finishedAt > finishedTtlMs) mirrors.delete(id)
    }
  })
  yield* Effect.promise(() => Reaper.reapPreviousLife(reaperContext).catch(noop))
  yield* Effect.forkScoped(Effect.repeat(heartbeat, Schedule.spaced(`${config.heartbeatMs} millis`)))

  yield* Effect.addFinalizer(() =>
    Effect.promise(async () => {
      stopResync()
      replicas.closeAll()
      for (const key of [...holds.keys()]) dropHold(key)
      // The last events (the executions were just ended) reach the store before the connection closes.
      await Promise.race([
        Promise.all([...mirrors.values()].map((m) => m.drain())),
        new Promise((resolve) => setTimeout(resolve, 2_000))
      ])
      for (const m of mirrors.values()) m.stop()
      await Promise.all([command.del(keys.heartbeat(me)), command.srem(keys.instances, me)]).catch(noop)
    })
  )

  const admit: ClusterShape["admit"] = (claimId) =>
    Effect.suspend(() => {
      const reason = redis.down()
      if (reason !== undefined) return Effect.fail(unavailable(reason))
      if (limit === undefined) return Effect.succeed(noop)
      const t = now()
      return call(() => Scripts.run(command, Scripts.admit, [keys.running], [t, limit, t + config.instanceTtlMs, claimId])).pipe(
        Effect.mapError((e) => unavailable(e.message)),
        Effect.flatMap((answer) => {
          if (answer !== 1) return Effect.fail(clusterFull)
          claims.add(claimId)
          return Effect.succeed(() => giveBack(claimId))
        })
      )
    })

  const track: ClusterShape["track"] = (execution) => {
    const ordinal = execution.startedAt * PER_MS + (rank++ % PER_MS)
    const mirror = new LogMirror(execution, ordinal, sink)
    mirrors.set(execution.executionId, mirror)
    mirror.start()
    return { registered: Effect.promise(() => mirror.registered) }
  }

  const guarded = <A>(f: () => Promise<A>) =>
    Effect.suspend(() => {
      const reason = redis.down()
      return reason !== undefined ? Effect.fail(unavailable(reason)) : Effect.mapError(call(f), (e) => unavailable(e.message))
    })

  /** The summary of an execution of another instance, from its hash; undefined once it has expired. */
  const remoteSummary = (id: string, fields: ReadonlyArray<string | null>): ExecutionSummary | undefined => {
    const [status, mode, startedAt, finishedAt, outputs, succeeded] = fields
    if (mode == null || startedAt == null || outputs == null) return undefined
    return {
      executionId: id,
      status: finishedAt == null ? "running" : isStatus(status) ? status : "failed",
      mode: isMode(mode) ? mode : "resource",
      startedAt: new Date(Number(startedAt)).toISOString(),
      finishedAt: finishedAt == null ? null : new Date(Number(finishedAt)).toISOString(),
      outputs: countOf(outputs),
      succeeded: Number(succeeded ?? 0)
    }
  }

  const list: ClusterShape["list"] = (count, before) =>
    guarded(async () => {
      const max = before === undefined ? "+inf" : `(${before}`
      const page = await command.zrevrangebyscore(keys.index, max, "-inf", "WITHSCORES", "LIMIT", 0, count)
      const ids: Array<string> = []
      const ordinals: Array<number> = []
      for (let i = 0; i + 1 < page.length; i += 2) {
        ids.push(page[i]!)
        ordinals.push(Number(page[i + 1]))
      }
      const summaries = await Promise.all(ids.map((id) => {
        const local = retained.lookup(id)
        if (local !== undefined && local !== EXPIRED) return summaryOf(local)
        return command.hmget(keys.meta(id), "status", "mode", "startedAt", "finishedAt", "outputs", "succeeded").then((fields) => {
          const summary = remoteSummary(id, fields)
          if (summary === undefined) command.zrem(keys.index, id).catch(noop)
          return summary
        })
      }))
      const out: Array<ListedExecution> = []
      summaries.forEach((summary, i) => {
        if (summary !== undefined) out.push({ summary, ordinal: ordinals[i]! })
      })
      return out
    })

  return Cluster.of({
    kind: "redis",
    instanceId: me,
    down: redis.down,
    admit,
    track,
    savePipeline: (ref, source) => Effect.asVoid(guarded(() => command.set(keys.pipeline(ref), source, "PX", config.pipelineTtlMs))),
    pipelineSource: (ref) =>
      Effect.map(guarded(() => command.getex(keys.pipeline(ref), "PX", config.pipelineTtlMs)), (s) => s ?? undefined),
    remote: (executionId) => guarded(() => replicas.acquire(executionId)),
    list
  })
})

const isStatus = Schema.is(ExecutionStatus)
const isMode = Schema.is(ExecutionMode)

const countOf = (outputs: string): number => {
  try {
    const parsed: unknown = JSON.parse(outputs)
    return Array.isArray(parsed) ? parsed.length : 0
  } catch {
    return 0
  }
}

/** The Redis store, with its connections. */
export const layer: Layer.Layer<Cluster, never, ClusterConfig | Retained | Limits> = Layer.scoped(Cluster, make).pipe(
  Layer.provide(RedisConnectionLayer.layer)
)
