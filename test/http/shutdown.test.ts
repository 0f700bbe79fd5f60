/**
 * Graceful shutdown: readiness turns false, new executions get 503,
 * running streams get the grace period and then a final `shutting_down`
 * error; `npm start`'s process exits 0 on SIGTERM.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import WebSocket from "ws"
import { slow } from "./support/pipelines.js"
import { startServer } from "./support/server.js"
import { eventsOf, post, readAll } from "./support/sse.js"

describe("graceful shutdown", () => {
  it("refuses new work, then ends running streams with `shutting_down` after the grace period", async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: "300", RETRY_AFTER_SECONDS: "5" })
    try {
      const running = await fetch(`${server.url}/execute/stream`, post({ source: slow, inputs: { text: "x" } }))
      const ws = new WebSocket(`${server.wsUrl}/execute/ws`)
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)))
      await new Promise((resolve) => ws.once("open", resolve))

      const began = performance.now()
      const drained = server.drain()
      const ready = await fetch(`${server.url}/health/ready`)
      expect(ready.status).toBe(503)
      expect(await ready.json()).toMatchObject({ error: "shutting_down" })
      const refused = await fetch(`${server.url}/execute`, post({ source: slow, inputs: { text: "x" } }))
      expect(refused.status).toBe(503)
      expect(refused.headers.get("retry-after")).toBe("5")
      expect(await refused.json()).toMatchObject({ error: "shutting_down" })
      expect((await fetch(`${server.url}/health`)).status).toBe(200)

      const { events } = await readAll(running)
      expect(events).toEqual([
        expect.objectContaining({
          event: "error",
          data: {
            executionId: expect.any(String),
            seq: 0,
            timestamp: expect.any(Number),
            error: { code: "shutting_down", message: expect.any(String), module: null },
            missing: ["late"],
            isFinal: true
          }
        })
      ])
      const waited = performance.now() - began
      expect(waited).toBeGreaterThan(250)
      expect(waited).toBeLessThan(3_000)
      await drained
      expect(await closed).toBe(1001)
    } finally {
      await server.close()
    }
  })

  it("npm start's process drains on SIGTERM and exits 0", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url))
    // Exactly what `npm start` runs: the server's bundle under plain Node (built on first need).
    const child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: root,
      env: { ...process.env, HOST: "127.0.0.1", PORT: "0", SHUTDOWN_GRACE_MS: "200" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    try {
      let output = ""
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in: ${output}`)), 20_000)
        const onData = (chunk: Buffer) => {
          output += chunk.toString()
          const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
          if (match?.[1] !== undefined) {
            clearTimeout(timer)
            resolve(match[1])
          }
        }
        child.stdout.on("data", onData)
        child.stderr.on("data", onData)
      })
      const response = await fetch(`${url}/execute/stream`, post({ source: slow, inputs: { text: "x" } }))
      const events = eventsOf(response)
      child.kill("SIGTERM")
      const last = await events.next()
      expect(last.value?.event).toBe("error")
      expect(last.value?.data["error"]).toMatchObject({ code: "shutting_down" })
      expect(await exited).toBe(0)
    } finally {
      child.kill("SIGKILL")
    }
  }, 30_000)
})
