/**
 * An instance as its own process, the way the deployment recipe runs it
 * (`node scripts/start.mjs`, which `npm start` runs), so a test can
 * SIGKILL it.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { fileURLToPath } from "node:url"
import { freePort } from "../../http/support/startupProbe.js"
import type { Env } from "../../http/support/server.js"

const root = fileURLToPath(new URL("../../../", import.meta.url))

export interface ChildInstance {
  readonly url: string
  readonly port: number
  readonly process: ChildProcess
  /** What it printed on stderr. */
  readonly stderr: () => string
  /** SIGKILL: no drain, no goodbye. */
  readonly kill: () => Promise<void>
  /** SIGTERM, then waits for the exit. */
  readonly stop: () => Promise<void>
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()))

/** Starts an instance on a free port of 127.0.0.1 with `env`; resolves once `/health/ready` answers 200. */
export const startChild = async (env: Env, port?: number): Promise<ChildInstance> => {
  const p = port ?? await freePort()
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(p), ...env },
    stdio: ["ignore", "ignore", "pipe"]
  })
  const reap = () => child.kill("SIGKILL")
  process.once("exit", reap)
  child.once("exit", () => process.removeListener("exit", reap))
  let stderr = ""
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
  const url = `http://127.0.0.1:${p}`
  const until = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the instance exited (${child.exitCode}): ${stderr}`)
    const ok = await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false)
    if (ok) break
    if (Date.now() > until) {
      child.kill("SIGKILL")
      throw new Error(`the instance was not ready within 60 s: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    port: p,
    process: child,
    stderr: () => stderr,
    kill: async () => {
      child.kill("SIGKILL")
      await exited(child)
    },
    stop: async () => {
      child.kill("SIGTERM")
      await exited(child)
    }
  }
}
