/**
 * `npm start` (and `constellation serve`) keeps V8's young generation at its initial size while the
 * server starts, and gives it back its growth once the server listens:
 * small at idle, grown under a load (read from `GET /metrics`).
 */
import { spawn } from "node:child_process"
import { afterEach, describe, expect, it } from "vitest"
import { ROOT } from "../../cli/spawnCli.js"
import { metric, within } from "../../support/metrics.js"
import { freePort } from "../support/startupProbe.js"

const NEW_SPACE = `nodejs_heap_space_size_total_bytes{space="new"}`
const MB = 1024 * 1024
const STREAMS = 300

const children: Array<ReturnType<typeof spawn>> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
})

const source = ['in tag: String', 'a = Delay("a", 5)', 'b = Delay("b", 200)', "out a", "out b"].join("\n")
const stream = (base: string) =>
  fetch(`${base}/execute/stream`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ source, inputs: { tag: "x" } }),
    signal: AbortSignal.timeout(60_000)
  }).then((r) => r.text())

describe("a server's young generation", () => {
  it.each([
    ["npm start", ["scripts/start.mjs"]],
    ["constellation serve", ["bin/constellation.mjs", "serve", "--quiet"]]
  ])("%s: at its initial size at idle, grows under a load", async (_name, args) => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", MAX_CONCURRENT_EXECUTIONS: "10000" },
      stdio: "ignore"
    })
    children.push(child)
    await within(60_000, () => fetch(`${base}/health`).then((r) => r.ok, () => false))
    const idle = await metric(base, NEW_SPACE)
    // V8 would have grown it to 32 MB (two 16 MB semi-spaces) while starting.
    expect(idle).toBeLessThanOrEqual(8 * MB)
    const bodies = await Promise.all(Array.from({ length: STREAMS }, () => stream(base)))
    expect(bodies.filter((b) => b.includes("event: complete")).length).toBe(STREAMS)
    expect(await metric(base, NEW_SPACE)).toBeGreaterThan(idle)
  }, 120_000)
})
