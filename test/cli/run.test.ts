/**
 * `constellation run` as a user runs it: the real binary, its output read
 * as it streams, and its exit code. The processes start together, each
 * test checks one. (Usage errors are tested in process: commands.test.ts.)
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { partial } from "../http/support/pipelines.js"
import { runCli } from "./spawnCli.js"
import type { CliResult } from "./spawnCli.js"

const dir = mkdtempSync(join(tmpdir(), "constellation-run-"))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const partialFile = file("partial.cst", partial)
const inputsFile = file("inputs.json", JSON.stringify({ query: "from the file" }))

const runs: Readonly<Record<string, Promise<CliResult>>> = {
  human: runCli(["run", "examples/fan-out.cst", "--input", "query=a b c"]),
  json: runCli(["run", "examples/fan-out.cst", "--inputs", inputsFile, "--json", "--progress"]),
  partial: runCli(["run", partialFile, "-i", "text=hi"]),
  example: runCli(["run", "examples/fan-out.cst"])
}

describe("constellation run", () => {
  it("prints each output as it arrives with its time since the start, then a summary; exit 0", async () => {
    const { code, stdout, err } = await runs["human"]!
    expect(err).toBe("")
    expect(code).toBe(0)
    expect(stdout.map((l) => l.text.replace(/^\[\s*\d+ ms\]/, "[t]"))).toEqual([
      "[t] quick = \"A B C\"",
      "[t] medium = 3",
      "[t] slow = \"slow result for a b c\"",
      expect.stringMatching(/^3 of 3 outputs succeeded in \d+ ms$/)
    ])
    const elapsed = stdout.slice(0, 3).map((l) => Number(/^\[\s*(\d+) ms\]/.exec(l.text)?.[1]))
    expect(elapsed[2]).toBeGreaterThanOrEqual(490)
    // Read as it streams: `quick` reached this process long before `slow` was ready.
    const [quick, , slow] = stdout
    expect(slow!.at - quick!.at).toBeGreaterThan(250)
  })

  it("with --json --progress, prints one JSON event per line, inputs from --inputs", async () => {
    const { code, stdout } = await runs["json"]!
    expect(code).toBe(0)
    const events = stdout.map((l) => JSON.parse(l.text) as { event: string; elapsedMs: number; data: Record<string, unknown> })
    expect(new Set(events.map((e) => e.event))).toEqual(
      new Set(["module-started", "module-completed", "progress", "output", "complete"])
    )
    expect(events.filter((e) => e.event === "output" || e.event === "complete").map((e) => [e.data["name"], e.data["value"]]))
      .toEqual([["quick", "FROM THE FILE"], ["medium", 3], ["slow", "slow result for from the file"]])
    expect(events.at(-1)).toMatchObject({ event: "complete", data: { isFinal: true } })
    expect(events.map((e) => e.data["seq"])).toEqual(events.map((_, i) => i))
    expect(events.at(-1)!.elapsedMs).toBeGreaterThanOrEqual(490)
  })

  it("gives an input not on the command line its @example value, and says so on stderr", async () => {
    const { code, out, err } = await runs["example"]!
    expect(code).toBe(0)
    expect(err).toBe("note: query = \"constellation\" from @example (not given with --input or --inputs)")
    expect(out).toMatch(/\] quick = "CONSTELLATION"\n.*\] medium = 1\n.*\] slow = "slow result for constellation"\n3 of 3 outputs succeeded/)
  })

  it("exits 1 when some output failed, saying which and why", async () => {
    const { code, out } = await runs["partial"]!
    expect(code).toBe(1)
    expect(out).toMatch(/\] ok = "HI"/)
    expect(out).toMatch(/\] bad FAILED invalid_argument: .* \(in Delay\)/)
    expect(out).toMatch(/1 of 2 outputs succeeded, 1 failed in \d+ ms/)
  })
})
