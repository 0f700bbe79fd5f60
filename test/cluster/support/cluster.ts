/**
 * Two (or more) real servers on one real Redis, in this process: each the
 * whole service on 127.0.0.1 port 0, with its own instance name and a
 * short heartbeat so losses are noticed quickly.
 */
import { startServer } from "../../http/support/server.js"
import type { Env, TestServer } from "../../http/support/server.js"

/** Settings of an instance on `redisUrl`, with a key prefix of the test's own. */
export const clusterEnv = (redisUrl: string, instanceId: string, prefix: string, extra: Env = {}): Env => ({
  REDIS_URL: redisUrl,
  INSTANCE_ID: instanceId,
  REDIS_KEY_PREFIX: prefix,
  INSTANCE_HEARTBEAT_MS: "100",
  INSTANCE_TTL_MS: "600",
  ...extra
})

export const startInstance = (redisUrl: string, instanceId: string, prefix: string, extra: Env = {}): Promise<TestServer> =>
  startServer(clusterEnv(redisUrl, instanceId, prefix, extra))

/** A JSON request. */
export const json = async (url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> => {
  const response = await fetch(url, init)
  const text = await response.text()
  return { status: response.status, body: text === "" ? {} : JSON.parse(text) as Record<string, unknown>, headers: response.headers }
}
