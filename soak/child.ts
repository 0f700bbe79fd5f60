/**
 * A soak server in a child process (`server.ts`, with `--expose-gc`), seen
 * as a load `Target`: its questions go over IPC, `/metrics` over HTTP.
 */
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { SchedulerStats } from "../src/runtime/Scheduler.js"
import type { LogLine } from "../test/reliability/support/server.js"
import { sample } from "../test/reliability/support/server.js"
import type { LoopFigures, Memory, Target } from "../test/reliability/support/target.js"
import type { Question } from "./server.js"

export interface ChildTarget extends Target {
  readonly stop: () => Promise<void>
}

const script = fileURLToPath(new URL("./server.ts", import.meta.url))
const root = fileURLToPath(new URL("..", import.meta.url))

/** Starts a soak server with `env` (over the defaults of 127.0.0.1 and a free port). */
export const startChild = async (env: Readonly<Record<string, string>>): Promise<ChildTarget> => {
  const child = fork(script, [], {
    cwd: root,
    execArgv: ["--expose-gc", "--import", "tsx"],
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  const pending = new Map<number, (result: unknown) => void>()
  let next = 1
  const address = new Promise<{ url: string; wsUrl: string; port: number }>((resolve, reject) => {
    pending.set(0, (r) => resolve(r as { url: string; wsUrl: string; port: number }))
    child.once("exit", (code) => reject(new Error(`the soak server exited with ${code}`)))
  })
  child.on("message", (m: { id: number; result: unknown }) => {
    pending.get(m.id)?.(m.result)
    pending.delete(m.id)
  })
  const ask = <A>(question: Question): Promise<A> =>
    new Promise((resolve) => {
      const id = next++
      pending.set(id, (r) => resolve(r as A))
      child.send({ id, question })
    })
  const { url, wsUrl, port } = await address
  return {
    url,
    wsUrl,
    port,
    engine: () => ask<SchedulerStats>("engine"),
    metric: async (name) => sample(await (await fetch(`${url}/metrics`)).text(), name),
    memory: () => ask<Memory>("memory"),
    logs: () => ask<ReadonlyArray<LogLine>>("logs"),
    loopStart: () => ask<void>("loopStart"),
    loopStop: () => ask<LoopFigures>("loopStop"),
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve))
      child.disconnect()
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
}
