/**
 * The store's settings: unset `REDIS_URL` is the in-memory store (nothing
 * else needed), and every bad value is a clear configuration error naming
 * the variable, never a crash at the first request.
 */
import { ConfigProvider, Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { config } from "../../../src/http/cluster/ClusterConfig.js"

const read = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env))))))

describe("ClusterConfig", () => {
  it("is in memory without REDIS_URL, with a generated instance name and the documented defaults", () => {
    const c = read({})
    expect(Either.isRight(c)).toBe(true)
    if (Either.isLeft(c)) return
    expect(c.right).toMatchObject({
      redisUrl: undefined,
      keyPrefix: "constellation:",
      heartbeatMs: 1_000,
      instanceTtlMs: 5_000,
      pipelineTtlMs: 86_400_000,
      clusterMaxConcurrentExecutions: undefined
    })
    expect(c.right.instanceId).toMatch(/^[A-Za-z0-9._-]+-\d+-[0-9a-f]{6}$/)
    // An empty REDIS_URL is unset, as in a compose file that leaves it blank.
    expect(Either.getOrThrow(read({ REDIS_URL: "" })).redisUrl).toBeUndefined()
  })

  it("reads every setting", () => {
    const c = Either.getOrThrow(read({
      REDIS_URL: "redis://user:secret@10.0.0.5:6380/2",
      INSTANCE_ID: "eu-1.a",
      REDIS_KEY_PREFIX: "prod:",
      INSTANCE_HEARTBEAT_MS: "200",
      INSTANCE_TTL_MS: "1000",
      PIPELINE_TTL_MS: "60000",
      CLUSTER_MAX_CONCURRENT_EXECUTIONS: "500"
    }))
    expect(c).toEqual({
      redisUrl: "redis://user:secret@10.0.0.5:6380/2",
      instanceId: "eu-1.a",
      keyPrefix: "prod:",
      heartbeatMs: 200,
      instanceTtlMs: 1_000,
      pipelineTtlMs: 60_000,
      clusterMaxConcurrentExecutions: 500
    })
  })

  it.each([
    [{ REDIS_URL: "http://127.0.0.1:6379" }, "REDIS_URL must be a redis:// or rediss:// URL"],
    [{ INSTANCE_ID: "has space" }, "INSTANCE_ID must be"],
    [{ INSTANCE_HEARTBEAT_MS: "5" }, "INSTANCE_HEARTBEAT_MS must be a whole number of at least 10"],
    [{ INSTANCE_HEARTBEAT_MS: "1000", INSTANCE_TTL_MS: "1500" }, "INSTANCE_TTL_MS must be more than twice INSTANCE_HEARTBEAT_MS"],
    [{ CLUSTER_MAX_CONCURRENT_EXECUTIONS: "0" }, "CLUSTER_MAX_CONCURRENT_EXECUTIONS must be a whole number of at least 1"],
    [{ CLUSTER_MAX_CONCURRENT_EXECUTIONS: "many" }, "CLUSTER_MAX_CONCURRENT_EXECUTIONS"]
  ])("refuses %j", (env, message) => {
    const c = read(env)
    expect(Either.isLeft(c)).toBe(true)
    if (Either.isRight(c)) return
    expect(String(c.left)).toContain(message)
  })
})
