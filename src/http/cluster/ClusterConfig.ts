/**
 * How instances share state: `REDIS_URL` (unset: the in-memory store, one
 * instance on its own), this instance's name, the heartbeat that tells the
 * others it is alive, how long compiled pipelines are kept, and the
 * optional cluster-wide admission limit.
 */
import { Config, Context, Layer, Option } from "effect"
import type { ConfigError } from "effect"
import { hostname } from "node:os"
import { randomBytes } from "node:crypto"
import { integerAtLeast } from "../server/configValues.js"

export interface ClusterConfigShape {
  /** The Redis server shared by the instances (`REDIS_URL`, e.g. `redis://127.0.0.1:6379/0`); undefined: in memory. */
  readonly redisUrl: string | undefined
  /** This instance's name, unique among those sharing a Redis (`INSTANCE_ID`, default host-pid-random). */
  readonly instanceId: string
  /** Prefix of every Redis key (`REDIS_KEY_PREFIX`, `constellation:`), so several clusters can share one Redis. */
  readonly keyPrefix: string
  /** How often an instance renews its heartbeat and looks for lost ones, in milliseconds (`INSTANCE_HEARTBEAT_MS`, 1 s). */
  readonly heartbeatMs: number
  /** An instance whose heartbeat is this old is lost, in milliseconds (`INSTANCE_TTL_MS`, 5 s). */
  readonly instanceTtlMs: number
  /** How long a compiled pipeline's source stays in Redis after its last compile, in milliseconds (`PIPELINE_TTL_MS`, 24 h). */
  readonly pipelineTtlMs: number
  /** Executions running at once across every instance (`CLUSTER_MAX_CONCURRENT_EXECUTIONS`; unset: only each instance's own limit). */
  readonly clusterMaxConcurrentExecutions: number | undefined
}

export class ClusterConfig extends Context.Tag("@constellation/http/ClusterConfig")<ClusterConfig, ClusterConfigShape>() {}

const ID = /^[A-Za-z0-9._:-]{1,100}$/

export const defaultInstanceId = (): string => `${hostname().replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 40)}-${process.pid}-${randomBytes(3).toString("hex")}`

export const defaults = {
  keyPrefix: "constellation:",
  heartbeatMs: 1_000,
  instanceTtlMs: 5_000,
  pipelineTtlMs: 24 * 60 * 60_000
} as const

/** The cluster settings read from the environment, each with its default. */
export const config: Config.Config<ClusterConfigShape> = Config.all({
  redisUrl: Config.option(Config.string("REDIS_URL").pipe(
    Config.validate({
      message: "REDIS_URL must be a redis:// or rediss:// URL",
      validation: (s) => s === "" || /^rediss?:\/\/\S+$/.test(s)
    }),
    Config.withDescription("The Redis shared by the instances; unset: everything in this process's memory.")
  )),
  instanceId: Config.option(Config.string("INSTANCE_ID").pipe(
    Config.validate({ message: "INSTANCE_ID must be 1 to 100 letters, digits, or . _ : -", validation: (s) => ID.test(s) })
  )),
  keyPrefix: Config.string("REDIS_KEY_PREFIX").pipe(Config.withDefault(defaults.keyPrefix)),
  heartbeatMs: integerAtLeast("INSTANCE_HEARTBEAT_MS", 10, defaults.heartbeatMs, "How often an instance renews its heartbeat in Redis, in milliseconds."),
  instanceTtlMs: integerAtLeast("INSTANCE_TTL_MS", 20, defaults.instanceTtlMs, "After this long without a heartbeat an instance is lost and its executions end (instance_lost), in milliseconds."),
  pipelineTtlMs: integerAtLeast("PIPELINE_TTL_MS", 1_000, defaults.pipelineTtlMs, "How long a compiled pipeline stays runnable by ref on every instance, in milliseconds."),
  clusterMax: Config.option(Config.integer("CLUSTER_MAX_CONCURRENT_EXECUTIONS").pipe(
    Config.validate({ message: "CLUSTER_MAX_CONCURRENT_EXECUTIONS must be a whole number of at least 1", validation: (n) => n >= 1 }),
    Config.withDescription("Executions running at once across all instances; unset: only each instance's MAX_CONCURRENT_EXECUTIONS.")
  ))
}).pipe(
  Config.validate({
    message: "INSTANCE_TTL_MS must be more than twice INSTANCE_HEARTBEAT_MS",
    validation: (c) => c.instanceTtlMs > 2 * c.heartbeatMs
  }),
  Config.map((c): ClusterConfigShape => ({
    redisUrl: Option.getOrUndefined(Option.filter(c.redisUrl, (s) => s !== "")),
    instanceId: Option.getOrElse(c.instanceId, defaultInstanceId),
    keyPrefix: c.keyPrefix,
    heartbeatMs: c.heartbeatMs,
    instanceTtlMs: c.instanceTtlMs,
    pipelineTtlMs: c.pipelineTtlMs,
    clusterMaxConcurrentExecutions: Option.getOrUndefined(c.clusterMax)
  }))
)

/** The cluster settings from the environment. */
export const layer: Layer.Layer<ClusterConfig, ConfigError.ConfigError> = Layer.effect(ClusterConfig, config)

/** Fixed settings, for tests and embedding (in memory unless `redisUrl` is given). */
export const layerWith = (overrides: Partial<ClusterConfigShape> = {}): Layer.Layer<ClusterConfig> =>
  Layer.succeed(ClusterConfig, {
    redisUrl: undefined,
    instanceId: defaultInstanceId(),
    clusterMaxConcurrentExecutions: undefined,
    ...defaults,
    ...overrides
  })
