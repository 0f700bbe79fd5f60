/**
 * A server that cannot listen says why in one line on stderr, with what to
 * change, and exits 1: `npm start` and `constellation serve`, spawned as a
 * user runs them, on a port of 127.0.0.1 this test holds, and on an
 * address that is not this machine's.
 */
import { spawn } from "node:child_process"
import { createServer } from "node:net"
import type { Server } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ROOT } from "./spawnCli.js"

/** TEST-NET-1 (RFC 5737): documentation only, never an address of this machine. */
const NOT_HERE = "192.0.2.1"

let holder: Server
let port: number
beforeAll(async () => {
  holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve))
  const address = holder.address()
  if (address === null || typeof address === "string") throw new Error("expected a TCP address")
  port = address.port
})
afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())))

/** Runs `node ...args` in the repository with `env` over the test's own; its exit code and output. */
const run = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  new Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env } })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe("a port in use", () => {
  it("npm start: one line naming the port and the host, exit 1", async () => {
    const { code, stdout, stderr } = await run(["scripts/start.mjs"], { HOST: "127.0.0.1", PORT: String(port) })
    expect(stderr).toBe(`port ${port} on 127.0.0.1 is in use; set PORT\n`)
    expect(stdout).toBe("")
    expect(code).toBe(1)
  })

  it("constellation serve: one line naming the port and the host, exit 1", async () => {
    const { code, stdout, stderr } = await run(["bin/constellation.mjs", "serve", "--host", "127.0.0.1", "--port", String(port)], {})
    expect(stderr).toBe(`port ${port} on 127.0.0.1 is in use; pass --port or set PORT\n`)
    expect(stdout).toBe("")
    expect(code).toBe(1)
  })
})

describe("a HOST that is not this machine's", () => {
  it("npm start: one line, exit 1", async () => {
    const { code, stderr } = await run(["scripts/start.mjs"], { HOST: NOT_HERE, PORT: "0" })
    expect(stderr).toBe(`${NOT_HERE} is not an address of this machine; set HOST\n`)
    expect(code).toBe(1)
  })

  it("constellation serve: one line, exit 1", async () => {
    const { code, stderr } = await run(["bin/constellation.mjs", "serve", "--port", "0"], { HOST: NOT_HERE })
    expect(stderr).toBe(`${NOT_HERE} is not an address of this machine; pass --host or set HOST\n`)
    expect(code).toBe(1)
  })
})
