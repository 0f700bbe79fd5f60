/**
 * A real Redis for the tests: Debian's `redis-server` started on a free
 * port of 127.0.0.1 with a temporary directory and no persistence, killed
 * in teardown. `stop` and `start` again simulate an outage (the data is
 * gone after it, as with a Redis that restarted without persistence).
 */
import { spawn, spawnSync } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { connect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort } from "../../http/support/startupProbe.js"

/** Whether `redis-server` is installed (`.ci/run` installs it). */
export const redisAvailable = (): boolean => spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0

/** Why the Redis tests do not run here, printed; under CI a missing Redis fails instead. */
export const skipReason = (): string | undefined => {
  if (redisAvailable()) return undefined
  if (process.env["CI"] !== undefined && process.env["CI"] !== "") throw new Error("redis-server is not installed (.ci/run installs it)")
  const reason = "redis-server is not installed (apt-get install -y redis-server): the Redis tests are skipped"
  console.log(reason)
  return reason
}

export interface RedisServer {
  readonly url: string
  readonly port: number
  /** Kills it (SIGKILL: an outage, not a shutdown). */
  readonly stop: () => Promise<void>
  /** Starts it again on the same port (empty). */
  readonly start: () => Promise<void>
  /** Stops it and removes its directory. */
  readonly close: () => Promise<void>
}

const listening = (port: number, withinMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const until = Date.now() + withinMs
    const tryOnce = () => {
      const socket = connect(port, "127.0.0.1")
      socket.once("connect", () => {
        socket.destroy()
        resolve()
      })
      socket.once("error", () => {
        socket.destroy()
        if (Date.now() > until) reject(new Error(`redis-server did not listen on ${port} within ${withinMs} ms`))
        else setTimeout(tryOnce, 20)
      })
    }
    tryOnce()
  })

export const startRedis = async (): Promise<RedisServer> => {
  const dir = mkdtempSync(join(tmpdir(), "constellation-redis-"))
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn("redis-server", [
      "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--protected-mode", "yes"
    ], { stdio: "ignore" })
    // Never outlives the test process, even one whose teardown did not run.
    const c = child
    const reap = () => c.kill("SIGKILL")
    process.once("exit", reap)
    c.once("exit", () => process.removeListener("exit", reap))
    await listening(port, 10_000)
  }
  const stop = async () => {
    const c = child
    child = undefined
    if (c === undefined || c.exitCode !== null) return
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve())
      c.kill("SIGKILL")
    })
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    close: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
