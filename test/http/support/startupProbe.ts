/**
 * Fires `GET /health` and WebSocket upgrades at a port that is about to
 * open, every few milliseconds from before it accepts until a while after,
 * and records what became of each: answered (with its status), refused
 * (nothing listening yet), or still unanswered after `answerWithinMs`.
 */
import { request } from "node:http"
import { createServer } from "node:net"

export interface Attempt {
  readonly kind: "http" | "upgrade"
  /** The status answered, "refused" when nothing listened yet, "unanswered" past the bound. */
  readonly outcome: number | "refused" | "unanswered" | "error"
  /** Milliseconds since the probe began. */
  readonly sentAt: number
}

/** A port free on 127.0.0.1 a moment ago. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const attempt = (port: number, kind: Attempt["kind"], answerWithinMs: number, sentAt: number): Promise<Attempt> =>
  new Promise((resolve) => {
    const done = (outcome: Attempt["outcome"]) => {
      clearTimeout(timer)
      req.destroy()
      resolve({ kind, outcome, sentAt })
    }
    const req = request({
      host: "127.0.0.1",
      port,
      path: kind === "http" ? "/health" : "/execute/ws",
      agent: false,
      headers: kind === "http" ? {} : {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ=="
      }
    })
    const timer = setTimeout(() => done("unanswered"), answerWithinMs)
    req.on("response", (response) => {
      response.resume()
      done(response.statusCode ?? "error")
    })
    req.on("upgrade", (response) => done(response.statusCode ?? "error"))
    req.on("error", (error: NodeJS.ErrnoException) => done(error.code === "ECONNREFUSED" ? "refused" : "error"))
    req.end()
  })

/**
 * Probes `port` every `everyMs` (an upgrade every fifth time) until
 * `afterFirstAnswerMs` after the first answer, or `maxMs` in all; resolves
 * once every attempt has ended.
 */
export const probeStartup = async (
  port: number,
  options: { readonly everyMs?: number; readonly afterFirstAnswerMs?: number; readonly maxMs?: number; readonly answerWithinMs?: number } = {}
): Promise<ReadonlyArray<Attempt>> => {
  const { everyMs = 2, afterFirstAnswerMs = 300, maxMs = 20_000, answerWithinMs = 2_000 } = options
  const began = performance.now()
  const attempts: Array<Promise<Attempt>> = []
  let firstAnswer: number | undefined
  for (let i = 0; performance.now() - began < maxMs; i++) {
    if (firstAnswer !== undefined && performance.now() - firstAnswer > afterFirstAnswerMs) break
    const sentAt = performance.now() - began
    attempts.push(attempt(port, i % 5 === 4 ? "upgrade" : "http", answerWithinMs, sentAt).then((a) => {
      if (typeof a.outcome === "number" && firstAnswer === undefined) firstAnswer = performance.now()
      return a
    }))
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return Promise.all(attempts)
}

/** What the attempts came to: counts by outcome. */
export const tally = (attempts: ReadonlyArray<Attempt>): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const a of attempts) counts[`${a.kind} ${a.outcome}`] = (counts[`${a.kind} ${a.outcome}`] ?? 0) + 1
  return counts
}
