/**
 * `constellation serve` is the HTTP service: `run --server` streams from
 * it, SIGTERM drains it with exit 0, and a server killed mid-stream gives
 * the client a typed error, never a silent end.
 */
import { afterAll, describe, expect, it } from "vitest"
import { StreamInterrupted } from "../../src/client/ClientError.js"
import { createClient } from "../../src/client/ConstellationClient.js"
import { quickThenSlow } from "../http/support/pipelines.js"
import { rejectsWith } from "../client/support.js"
import { runCli, startCli } from "./spawnCli.js"
import type { CliRun } from "./spawnCli.js"

const LISTENING = /Listening on (http:\/\/127\.0\.0\.1:\d+)/

const serve = (): { readonly run: CliRun; readonly url: Promise<string> } => {
  const run = startCli(["serve", "--port", "0"])
  return { run, url: run.waitFor(LISTENING).then((line) => LISTENING.exec(line.text)![1]!) }
}

const drained = serve()
const killed = serve()
afterAll(() => {
  for (const { run } of [drained, killed]) if (run.child.exitCode === null) run.child.kill("SIGKILL")
})

describe("constellation serve", () => {
  it("serves `run --server`, which streams each output as it arrives (@example values for inputs not given); SIGTERM drains it and it exits 0", async () => {
    const url = await drained.url
    const { code, stdout } = await runCli(["run", "examples/fan-out.cst", "--server", url, "--input", "query=over http"])
    expect(code).toBe(0)
    expect(stdout.map((l) => l.text.replace(/^\[\s*\d+ ms\] /, ""))).toEqual([
      "quick = \"OVER HTTP\"",
      "medium = 2",
      "slow = \"slow result for over http\"",
      expect.stringMatching(/^3 of 3 outputs succeeded/)
    ])
    expect(stdout[2]!.at - stdout[0]!.at).toBeGreaterThan(250)

    const fromExample = await runCli(["run", "examples/fan-out.cst", "--server", url])
    expect(fromExample.code).toBe(0)
    expect(fromExample.err).toBe("note: query = \"constellation\" from @example (not given with --input or --inputs)")
    expect(fromExample.out).toContain("quick = \"CONSTELLATION\"")

    drained.run.child.kill("SIGTERM")
    expect(await drained.run.exited).toBe(0)
    expect(drained.run.stdout.map((l) => l.text).join("\n")).toContain("Drained: closing the server")
  })

  it("a server killed mid-stream fails the client's stream with StreamInterrupted", async () => {
    const events = createClient({ baseUrl: await killed.url }).stream({ source: quickThenSlow, inputs: { text: "x" } })
    expect((await events.next()).value).toMatchObject({ event: "output", data: { name: "first" } })
    killed.run.child.kill("SIGKILL")
    const error = await rejectsWith(events.next(), StreamInterrupted)
    expect(error).toMatchObject({ received: 1 })
    expect(error.message).toMatch(/before the execution's final event: the connection failed/)
  })
})
