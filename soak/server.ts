/**
 * The server under soak, in a process of its own (started by `run.ts` with
 * `--expose-gc`): the real server layer with the standard library and the
 * fault modules, its settings from the environment. It answers the
 * runner's questions over IPC (memory after a full collection, the
 * engine's counters, the event loop's delay, what it logged), so the
 * figures are the server's alone.
 */
import { faultModules } from "../test/reliability/support/faultModules.js"
import { loopDelay, memory } from "../test/reliability/support/measure.js"
import type { LoopDelay } from "../test/reliability/support/measure.js"
import { startServer } from "../test/reliability/support/server.js"

export type Question = "memory" | "engine" | "logs" | "loopStart" | "loopStop"

export interface Request {
  readonly id: number
  readonly question: Question
}

const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined))
const server = await startServer({ env, modules: faultModules })
let monitor: LoopDelay | undefined

const answer = async (question: Question): Promise<unknown> => {
  switch (question) {
    case "memory":
      return memory()
    case "engine":
      return server.engine()
    case "logs":
      return server.logs
    case "loopStart":
      monitor = loopDelay()
      return null
    case "loopStop": {
      const figures = monitor?.stop() ?? { p50: 0, p99: 0, max: 0 }
      monitor = undefined
      return figures
    }
  }
}

process.on("message", (m: Request) => {
  void answer(m.question).then((result) => process.send?.({ id: m.id, result }))
})
process.on("disconnect", () => void server.close().then(() => process.exit(0)))
process.send?.({ id: 0, result: { url: server.url, wsUrl: server.wsUrl, port: server.port } })
