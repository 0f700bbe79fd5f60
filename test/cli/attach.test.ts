/**
 * `run --detach`, `attach` and `cancel` as a user runs them: the real
 * binary against a real server on 127.0.0.1. A detached run prints its id
 * at once; `attach` shows what came and the rest with `run`'s display and
 * exit codes; `cancel` stops a run, keeping what it computed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { runCli } from "./spawnCli.js"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const ID = /^[0-9a-f-]{36}$/
const slowFile = join(mkdtempSync(join(tmpdir(), "constellation-attach-")), "slow.cst")
// Slow enough to still run when a second process (a second or more to start under load) cancels it.
writeFileSync(slowFile, "in text: String\nfirst = Uppercase(text)\nlate = Delay(text, 20000)\nout first\nout late\n")

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const timeless = (text: string) => text.replace(/^\[\s*\d+ ms\] /, "")

describe("constellation run --detach, attach, cancel", () => {
  it("run --detach prints the execution id at once; attach follows it with run's display; exit 0", async () => {
    const detached = await runCli(["run", "examples/fan-out.cst", "--server", server.url, "--detach", "--input", "query=left running"])
    expect(detached.err).toBe("")
    expect(detached.code).toBe(0)
    const id = detached.out.trim()
    expect(id).toMatch(ID)
    const attached = await runCli(["attach", id, "--server", server.url])
    expect(attached.code).toBe(0)
    expect(attached.stdout.map((l) => timeless(l.text))).toEqual([
      "quick = \"LEFT RUNNING\"",
      "medium = 2",
      "slow = \"slow result for left running\"",
      expect.stringMatching(/^3 of 3 outputs succeeded in \d+ ms$/)
    ])
  })

  it("cancel stops a detached run, keeping what it computed; attach then shows the early end and exits 1", async () => {
    const detached = await runCli(["run", slowFile, "--server", server.url, "--detach", "--json", "-i", "text=stop me"])
    expect(detached.code).toBe(0)
    const created = JSON.parse(detached.out) as { executionId: string; status: string; events: string }
    expect(created).toMatchObject({ status: "running", events: `/executions/${created.executionId}/events` })
    const cancelled = await runCli(["cancel", created.executionId, "--server", server.url])
    expect(cancelled.code).toBe(0)
    expect(cancelled.out).toBe(`${created.executionId}: partial, 1 of 2 outputs kept`)
    const attached = await runCli(["attach", created.executionId, "--server", server.url])
    expect(attached.code).toBe(1)
    expect(attached.stdout.map((l) => timeless(l.text))).toEqual([
      "first = \"STOP ME\"",
      expect.stringMatching(/^execution ended early: cancelled: .*; missing: late$/),
      expect.stringMatching(/^1 of 2 outputs succeeded, 1 failed in \d+ ms$/)
    ])
  })

  it("an unknown id is a usage error (exit 2) for attach and cancel; --detach without --server too", async () => {
    for (const command of ["attach", "cancel"]) {
      const { code, err } = await runCli([command, "no-such-id", "--server", server.url])
      expect(code, command).toBe(2)
      expect(err, command).toMatch(/HTTP 404, unknown_execution/)
    }
    const { code, err } = await runCli(["run", "examples/fan-out.cst", "--detach"])
    expect(code).toBe(2)
    expect(err).toBe("--detach starts the run on a server: give --server URL too.")
  })
})
