/**
 * What instances share: the store interface. The in-memory one (the
 * default: one instance on its own, `npm start` needs nothing else) shares
 * nothing and costs nothing; the Redis one (`REDIS_URL`, `RedisCluster.ts`)
 * writes every kept execution's log to a Redis stream alongside the
 * in-memory log, keeps compiled pipelines by ref, carries cancels and
 * lease renewals to the instance running an execution, and ends the
 * executions of a lost instance (`instance_lost`).
 *
 * The instance that runs an execution keeps it in memory exactly as
 * without a store: its readers never wait for Redis.
 */
import { Context, Effect, Layer } from "effect"
import type { ExecutionSummary } from "../../protocol/executions.js"
import type { ErrorInfo } from "../../runtime/ExecutionEvent.js"
import type { OverCapacity, StoreUnavailable } from "../HttpError.js"
import type { EXPIRED, RetainedExecution } from "../executions/Retained.js"
import { ClusterConfig } from "./ClusterConfig.js"

/** An execution kept by another instance, read here from the store. */
export interface RemoteExecution extends RetainedExecution {
  /** The instance that runs it (or ran it). */
  readonly owner: string
  /** A reader starts following it: its owner renews its lease while one does. Call the answer when the reader leaves. */
  readonly subscribe: () => () => void
  /** Asks its owner to stop it (its final event carries `error`); completes when the end is seen here, or after a while. */
  readonly cancel: (error: ErrorInfo) => Effect.Effect<void>
  /** Completes once the replica here has the event at `seq`, or the end, or after `timeoutMs`. */
  readonly awaitSeq: (seq: number, timeoutMs: number) => Effect.Effect<void>
  /** Done with it (a subscription holds it on its own). */
  readonly release: () => void
}

/** An execution of this instance, written to the store. */
export interface Tracked {
  /** Completes once the store knows the execution (other instances can find it), or could not be written. */
  readonly registered: Effect.Effect<void>
}

/** One line of the cluster's list, with its place in the order. */
export interface ListedExecution {
  readonly summary: ExecutionSummary
  readonly ordinal: number
}

export interface ClusterShape {
  readonly kind: "memory" | "redis"
  readonly instanceId: string
  /** Why the store cannot be used now (undefined when it can): new executions are refused meanwhile. */
  readonly down: () => string | undefined
  /**
   * Admits an execution about to start here (`claimId` names its claim on
   * the cluster-wide limit) against the store's state and that limit; the
   * answer gives the claim back (a tracked execution's is also given back
   * when it ends).
   */
  readonly admit: (claimId: string) => Effect.Effect<() => void, OverCapacity | StoreUnavailable>
  /** An execution admitted here: its log is written to the store alongside; cancels and lease renewals reach it from anywhere. */
  readonly track: (execution: RetainedExecution) => Tracked
  /** A pipeline compiled here: every instance can run its ref from now on. */
  readonly savePipeline: (ref: string, source: string) => Effect.Effect<void, StoreUnavailable>
  /** The source of a ref compiled on any instance, or undefined. */
  readonly pipelineSource: (ref: string) => Effect.Effect<string | undefined, StoreUnavailable>
  /** An execution kept by another instance (call `release` when done), expired, or unknown. */
  readonly remote: (executionId: string) => Effect.Effect<RemoteExecution | typeof EXPIRED | undefined, StoreUnavailable>
  /** The executions of every instance, newest first; undefined when the store keeps none (the local list is the whole list). */
  readonly list: (limit: number, before: number | undefined) => Effect.Effect<ReadonlyArray<ListedExecution>, StoreUnavailable> | undefined
}

export class Cluster extends Context.Tag("@constellation/http/Cluster")<Cluster, ClusterShape>() {}

const untracked: Tracked = { registered: Effect.void }
const nothingToGiveBack = Effect.succeed((): void => undefined)

/** One instance on its own: nothing is shared, nothing is written anywhere. */
export const makeMemory = (instanceId: string): ClusterShape => ({
  kind: "memory",
  instanceId,
  down: () => undefined,
  admit: () => nothingToGiveBack,
  track: () => untracked,
  savePipeline: () => Effect.void,
  pipelineSource: () => Effect.succeed(undefined),
  remote: () => Effect.succeed(undefined),
  list: () => undefined
})

/** The in-memory store. */
export const layerMemory: Layer.Layer<Cluster, never, ClusterConfig> = Layer.effect(
  Cluster,
  Effect.map(ClusterConfig, (config) => makeMemory(config.instanceId))
)

/** A new claim id for an execution not yet named (a batch run): a random UUID (Node keeps a pool of entropy for them: 0.3 µs, against 5-6 µs for `randomBytes` per call). */
export const claimId = (): string => `claim-${crypto.randomUUID()}`
