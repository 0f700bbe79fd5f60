/**
 * The store chosen by configuration: Redis when `REDIS_URL` is set, the
 * in-memory one otherwise.
 */
import { Effect, Layer } from "effect"
import type { ConfigError } from "effect"
import type { Retained } from "../executions/Retained.js"
import type { Limits } from "../server/Limits.js"
import { Cluster, makeMemory } from "./Cluster.js"
import * as ClusterConfig from "./ClusterConfig.js"
import * as RedisCluster from "./RedisCluster.js"

/** The store of `ClusterConfig`'s settings. */
export const layerFrom = (config: ClusterConfig.ClusterConfigShape): Layer.Layer<Cluster, never, Retained | Limits> =>
  config.redisUrl === undefined
    ? Layer.succeed(Cluster, makeMemory(config.instanceId))
    : RedisCluster.layer.pipe(Layer.provide(Layer.succeed(ClusterConfig.ClusterConfig, config)))

/**
 * The store of the `ClusterConfig` service when one is provided, else of
 * the settings in the environment (`REDIS_URL` ...).
 */
export const layer: Layer.Layer<Cluster, ConfigError.ConfigError, Retained | Limits> = Layer.unwrapEffect(
  Effect.map(
    Effect.flatMap(Effect.serviceOption(ClusterConfig.ClusterConfig), (provided) =>
      provided._tag === "Some" ? Effect.succeed(provided.value) : ClusterConfig.config),
    layerFrom
  )
)
