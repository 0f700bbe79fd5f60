/**
 * `compile`, `modules` and the usage errors, run in this process through
 * the same `program` the binary runs, with a terminal that records what is
 * printed. (test/cli/run.test.ts and serve.test.ts spawn the real binary.)
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Effect, Layer } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { plain } from "../../src/cli/formatDiagnostic.js"
import { program } from "../../src/cli/program.js"
import { Terminal } from "../../src/cli/Terminal.js"
import { partial } from "../http/support/pipelines.js"

const dir = mkdtempSync(join(tmpdir(), "constellation-commands-"))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const bad = file("bad.cst", "in text: String\nout upper: String\nupper = Uppercse(text)\n")

/**
 * Runs `constellation ...args` in process: the exit code, what went to
 * stdout and stderr (cli's own messages included), and the successive
 * status lines of a terminal when `interactive`.
 */
const run = async (args: ReadonlyArray<string>, interactive: boolean) => {
  const out: Array<string> = []
  const err: Array<string> = []
  const status: Array<string> = []
  const terminal = Layer.succeed(Terminal, {
    out: (line) => Effect.sync(() => void out.push(line)),
    err: (line) => Effect.sync(() => void err.push(line)),
    status: (line) => Effect.sync(() => void status.push(line)),
    interactive,
    style: plain,
    colour: { stdout: false, stderr: false }
  })
  const spy = vi.spyOn(console, "error").mockImplementation((...parts: Array<unknown>) => void err.push(parts.join(" ")))
  try {
    const code = await Effect.runPromise(
      program(["node", "constellation", ...args]).pipe(Effect.provide(Layer.merge(terminal, NodeContext.layer)))
    )
    return { code, out: out.join("\n"), err: err.join("\n"), status }
  } finally {
    spy.mockRestore()
  }
}

const constellation = (...args: ReadonlyArray<string>) => run(args, false)

describe("constellation compile", () => {
  it("prints diagnostics as compilers do (file:line:column, the line, a caret under the span); exit 2", async () => {
    const { code, out, err } = await constellation("compile", bad)
    expect(code).toBe(2)
    expect(out).toBe("")
    expect(err.split("\n")).toEqual([
      `${bad}:3:9: error E400: Unknown module \`Uppercse\`: no module of that name is registered.`,
      "  3 | upper = Uppercse(text)",
      "    |         ^^^^^^^^",
      "    = hint: did you mean `Uppercase`?",
      "",
      "1 error"
    ])
  })

  it("prints the inputs and outputs with their types, and the ref; exit 0", async () => {
    const { code, out } = await constellation("compile", "examples/fan-out.cst")
    expect(code).toBe(0)
    expect(out.split("\n")).toEqual([
      "examples/fan-out.cst: ok, 5 module calls",
      expect.stringMatching(/^ref: sha256:[0-9a-f]{64}$/),
      "in  query: String",
      "out quick: String",
      "out medium: Int",
      "out slow: String"
    ])
  })
})

describe("constellation modules", () => {
  it("lists the registry with signatures", async () => {
    const { code, out } = await constellation("modules")
    expect(code).toBe(0)
    expect(out).toContain("Uppercase(text: String): String\n    Returns the text in upper case")
    expect(out).toContain("Delay(value: T, ms: Int): T")
    expect(out).toMatch(/\n\d+ modules$/)
  })
})

describe("constellation run, in process", () => {
  it("on a terminal, keeps a live line of the modules done and running, cleared at the end", async () => {
    const { code, out, status } = await run(["run", "examples/fan-out.cst", "-i", "query=tty"], true)
    expect(code).toBe(0)
    expect(out).toMatch(/quick = "TTY"[\s\S]*slow = "slow result for tty"/)
    // Progress events may be coalesced under load: the exact steps vary, their form does not.
    expect(status.some((l) => /^[0-4]\/5 modules done · running: Delay( ×[23])?$/.test(l))).toBe(true)
    expect(status.at(-2)).toBe("5/5 modules done")
    expect(status.at(-1)).toBe("")
  })

  it("exits 1 when some output failed", async () => {
    const { code, out } = await constellation("run", file("partial.cst", partial), "--input", "text=x")
    expect(code).toBe(1)
    expect(out).toMatch(/\] ok = "X"\n.*\] bad FAILED invalid_argument/)
  })

  it("stops a run with a compile error before anything runs; exit 2", async () => {
    const { code, out, err } = await constellation("run", bad, "--input", "text=x")
    expect(code).toBe(2)
    expect(out).toBe("")
    expect(err).toContain(`${bad}:3:9: error E400`)
  })
})

describe("usage errors exit 2 and say what is wrong", () => {
  it.each([
    [["run", "examples/fan-out.cst", "--no-such-flag"], "--no-such-flag"],
    [["run", "examples/fan-out.cst", "--input", "query"], "--input expects name=value, got \"query\""],
    [["run", "no/such/file.cst"], "Cannot read no/such/file.cst: no such file"],
    [["run", "examples/fan-out.cst", "--inputs", bad], `${bad} is not valid JSON`],
    [["run", "examples/fan-out.cst", "--inputs", file("list.json", "[1]")], "must hold a JSON object of inputs"],
    [["run", file("no-example.cst", "in query: String\nout query\n"), "--input", "nope=1"], "input 'query': missing (expected String)"],
    [["frobnicate"], "Invalid subcommand for constellation - use one of 'serve', 'run', 'attach', 'cancel', 'compile', 'modules'"],
    [[], "Give a command: serve, run, attach, cancel, compile, modules or lsp (constellation --help says more)."]
  ])("constellation %j", async (args, message) => {
    const { code, err } = await constellation(...args)
    expect(code).toBe(2)
    expect(err).toContain(message)
  })
})
