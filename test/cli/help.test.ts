/**
 * `constellation --help` as a user reads it: piped (stdout not a terminal)
 * it has no escape codes, NO_COLOR or not; on a terminal (a pseudo-terminal
 * from script(1)) it has them unless NO_COLOR is set; and every option and
 * argument of every command has a description of its own, with none of
 * @effect/cli's generic lines ("A user-defined piece of text.").
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { ROOT, runCli } from "./spawnCli.js"

const ESC = "\x1b["
const SCRIPT = "/usr/bin/script"
const commands = [[], ["run"], ["attach"], ["cancel"], ["serve"], ["compile"], ["modules"]] as const

/** Every command's help, piped, without NO_COLOR. */
const helps = new Map(commands.map((c) => [c.join(" "), runCli([...c, "--help"], { NO_COLOR: undefined })]))
const help = (command: string) => helps.get(command)!

/** The options @effect/cli adds to every command, described by it. */
const BUILT_IN = ["--completions", "--log-level", "(-h, --help)", "--wizard", "--version"]
/** What @effect/cli adds to an option's own description and may stay: how often it may be given, and the values it takes. */
const LIBRARY_LINE = /^(This setting is optional\.|This option may be repeated zero or more times\.|An integer\.|One of the following: .*)$/

/** The ARGUMENTS and OPTIONS entries of a help text: each header with its paragraphs. */
const entries = (text: string): Array<{ readonly header: string; readonly paragraphs: Array<string> }> => {
  const found: Array<{ header: string; paragraphs: Array<string> }> = []
  let section = ""
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue
    if (/^[A-Z]+$/.test(line)) section = line
    else if (section !== "ARGUMENTS" && section !== "OPTIONS") continue
    else if (!line.startsWith(" ")) found.push({ header: line, paragraphs: [] })
    else found.at(-1)?.paragraphs.push(line.trim())
  }
  return found.filter((e) => !BUILT_IN.some((b) => e.header.startsWith(b)))
}

describe("constellation --help, piped", () => {
  it.each(commands.map((c) => c.join(" ")))("constellation [%s] --help has no escape codes without NO_COLOR; exit 0", async (command) => {
    const { code, out } = await help(command)
    expect(code).toBe(0)
    expect(out).toContain("USAGE")
    expect(out).not.toContain("\x1b")
  })

  it("describes every option and argument of every command in its own words, once", async () => {
    const described = new Map<string, Array<string>>()
    for (const command of commands.map((c) => c.join(" "))) {
      for (const { header, paragraphs } of entries((await help(command)).out)) {
        described.set(`${command} ${header}`, paragraphs.filter((p) => !LIBRARY_LINE.test(p)))
      }
    }
    expect([...described.keys()].sort()).toEqual([
      "attach --json",
      "attach --progress",
      "attach --server URL",
      "attach <id>",
      "cancel --server URL",
      "cancel <id>",
      "compile <file.cst>",
      "run (-i, --input name=value)...",
      "run --detach",
      "run --inputs file.json",
      "run --json",
      "run --progress",
      "run --server URL",
      "run <file.cst>",
      "serve --host HOST",
      "serve --port PORT",
      "serve --quiet"
    ])
    for (const [entry, own] of described) {
      expect(own, entry).toHaveLength(1)
      expect(own[0], entry).toMatch(/^[A-Z].{20,}\.$/)
    }
    expect(new Set([...described.values()].map((own) => own[0])).size).toBe(described.size)
  })
})

const scriptMissing = existsSync(SCRIPT) ? undefined : `${SCRIPT} (util-linux) is absent: no pseudo-terminal to run the CLI on`
if (scriptMissing !== undefined) console.warn(`Skipping the terminal cases of the help test: ${scriptMissing}`)

/** `constellation ...args` with stdout on a pseudo-terminal; what it printed. */
const onTerminal = (args: ReadonlyArray<string>, noColor: string | undefined): string => {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env["NO_COLOR"]
  if (noColor !== undefined) env["NO_COLOR"] = noColor
  const command = [process.execPath, `${ROOT}bin/constellation.mjs`, ...args].map((a) => `'${a}'`).join(" ")
  return spawnSync(SCRIPT, ["-qec", command, "/dev/null"], { cwd: ROOT, env, encoding: "utf8" }).stdout
}

describe.skipIf(scriptMissing !== undefined)("constellation --help, on a terminal", () => {
  it("is in colour without NO_COLOR, and plain with it", () => {
    const coloured = onTerminal(["run", "--help"], undefined)
    expect(coloured).toContain("OPTIONS")
    expect(coloured).toContain(ESC)
    const plain = onTerminal(["run", "--help"], "1")
    expect(plain).toContain("OPTIONS")
    expect(plain).not.toContain("\x1b")
  })
})
