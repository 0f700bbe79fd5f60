/**
 * The connections to Redis of one instance: one for commands (writes are
 * pipelined automatically: what is sent in one tick goes in one write),
 * one that blocks in `XREAD` for the live tail of other instances'
 * executions, and one subscribed to this instance's control channel.
 *
 * An unreachable Redis never stops the instance: the connections retry in
 * the background, commands fail at once meanwhile (no offline queue, so
 * nothing is replayed late and out of order), and `down()` says why, for
 * admission and `/health/ready`. Closed when the layer's scope closes.
 */
import { Context, Data, Effect, Layer } from "effect"
import type { Redis } from "ioredis"
import { exportOf } from "../commonJsExport.js"
import { ClusterConfig } from "./ClusterConfig.js"

/** A Redis command failed (Redis unreachable, or an error reply). */
export class StoreError extends Data.TaggedError("StoreError")<{ readonly message: string }> {}

export interface RedisConnectionShape {
  readonly command: Redis
  readonly blocking: Redis
  readonly subscriber: Redis
  /** Why Redis cannot be used now, or undefined when it can. */
  readonly down: () => string | undefined
  /** Calls `f` each time the command connection is (again) ready; returns a function that stops it. */
  readonly onReady: (f: () => void) => () => void
  /** The URL without its password, for messages. */
  readonly where: string
}

export class RedisConnection extends Context.Tag("@constellation/http/RedisConnection")<RedisConnection, RedisConnectionShape>() {}

/** A promise-returning Redis call as an Effect failing with `StoreError`. */
export const call = <A>(f: () => Promise<A>): Effect.Effect<A, StoreError> =>
  Effect.tryPromise({ try: f, catch: (e) => new StoreError({ message: e instanceof Error ? e.message : String(e) }) })

const redact = (url: string): string => url.replace(/\/\/[^@/]*@/, "//***@")

const options = (name: string) => ({
  lazyConnect: true,
  connectionName: name,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  // Reconnects forever, at most a second apart.
  retryStrategy: (times: number) => Math.min(50 * times, 1_000)
})

export const make = Effect.gen(function*() {
  const config = yield* ClusterConfig
  // Loaded only when a Redis is configured: the client takes a few hundred milliseconds to load, which
  // every start of the server and of the CLI would otherwise pay.
  const Redis = yield* Effect.promise(() => import("ioredis").then((mod) => exportOf(mod, "Redis")))
  const url = config.redisUrl ?? "redis://127.0.0.1:6379"
  const where = redact(url)
  let reason: string | undefined = `connecting to ${where}`
  const readyListeners = new Set<() => void>()

  const open = (role: string, extra: { readonly enableAutoPipelining?: boolean; readonly enableOfflineQueue?: boolean } = {}) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        const client = new Redis(url, { ...options(`constellation:${config.instanceId}:${role}`), ...extra })
        // Without a listener, ioredis prints every connection error.
        client.on("error", (e: Error) => {
          if (role === "command") reason = `${where}: ${e.message}`
        })
        client.connect().catch(() => undefined)
        return client
      }),
      // The command connection says goodbye after its pending writes (at most a second); the others just close.
      (client) =>
        Effect.promise(() =>
          role === "command"
            ? Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000))]).then(() => client.disconnect())
            : Promise.resolve(client.disconnect())
        )
    )

  const command = yield* open("command", { enableAutoPipelining: true })
  command.on("ready", () => {
    reason = undefined
    for (const f of [...readyListeners]) f()
  })
  command.on("close", () => {
    if (reason === undefined) reason = `${where}: connection closed`
  })
  const blocking = yield* open("tail")
  const subscriber = yield* open("control", { enableOfflineQueue: true })

  return RedisConnection.of({
    command,
    blocking,
    subscriber,
    down: () => (command.status === "ready" ? undefined : reason ?? `${where}: ${command.status}`),
    onReady: (f) => {
      readyListeners.add(f)
      return () => void readyListeners.delete(f)
    },
    where
  })
})

export const layer: Layer.Layer<RedisConnection, never, ClusterConfig> = Layer.scoped(RedisConnection, make)
