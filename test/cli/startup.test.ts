/**
 * `npm start` and `constellation serve` answer every request and WebSocket
 * upgrade that reaches their port, from the first moment it accepts: none
 * waits for ever while the routes are being attached.
 */
import { spawn } from "node:child_process"
import { afterEach, describe, expect, it } from "vitest"
import { freePort, probeStartup, tally } from "../http/support/startupProbe.js"
import { ROOT } from "./spawnCli.js"

const children: Array<ReturnType<typeof spawn>> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
})

const expectAllAnswered = async (command: ReadonlyArray<string>, port: number) => {
  const probe = probeStartup(port)
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NO_COLOR: "1" },
    stdio: "ignore"
  })
  children.push(child)
  const counts = tally(await probe)
  expect(counts["http unanswered"] ?? 0, JSON.stringify(counts)).toBe(0)
  expect(counts["upgrade unanswered"] ?? 0, JSON.stringify(counts)).toBe(0)
  expect(counts["http 200"] ?? 0, JSON.stringify(counts)).toBeGreaterThan(10)
}

describe("requests during startup", () => {
  it("npm start answers every one within 2 s", async () => {
    await expectAllAnswered(["scripts/start.mjs"], await freePort())
  })

  it("constellation serve answers every one within 2 s", async () => {
    const port = await freePort()
    await expectAllAnswered(["bin/constellation.mjs", "serve", "--port", String(port), "--quiet"], port)
  })
})
