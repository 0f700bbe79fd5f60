/**
 * docs/library.md: it starts with the install line, every TypeScript block
 * is a complete example, and each one runs against the sources in a child
 * process (tsx), printing exactly the output shown after it; the test file
 * of "Testing with the virtual clock" runs under vitest. The same examples
 * run against the packed package in test/package/install.test.ts.
 */
import { outputOf } from "../support/processOutput.js"
import { spawn } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { codeBlocks, examplesOf, readDoc } from "./markdown.js"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const ENTRY = join(ROOT, "src", "index.ts")
const scratch = join(ROOT, "test", "docs", ".library-examples")

const doc = readDoc("docs/library.md")
const examples = examplesOf(doc)

/** The environment of a child process: without the variables of the vitest running this file. */
const childEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST")))

const run = (args: ReadonlyArray<string>, cwd: string) =>
  outputOf(spawn(process.execPath, args, { cwd, env: { ...childEnv(), NO_COLOR: "1" } }))

/** The example's code with the package's name mapped to the sources. */
const againstSources = (code: string): string => code.replaceAll("from \"constellation\"", `from ${JSON.stringify(ENTRY)}`)

beforeAll(() => mkdirSync(scratch, { recursive: true }))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("docs/library.md", () => {
  it("starts with the install line", () => {
    const first = codeBlocks(doc)[0]
    expect(first?.lang).toBe("sh")
    expect(first?.code).toBe("npm install constellation effect@3")
  })

  it("makes every TypeScript block an example, each with its output or a test file", () => {
    const ts = codeBlocks(doc).filter((b) => b.lang === "ts")
    expect(examples.map((e) => e.line)).toEqual(ts.map((b) => b.line))
    expect(examples.map((e) => e.name)).toEqual(["streaming", "layers", "batch", "prepare", "start", "modules", "testing"])
    for (const e of examples) {
      const isTestFile = e.code.includes("from \"@effect/vitest\"")
      expect(e.output === undefined, `${e.name}: an output block, unless it is a test file`).toBe(isTestFile)
      expect(e.code, e.name).toMatch(/from "constellation"/)
    }
  })

  for (const example of examples.filter((e) => e.output !== undefined)) {
    it.concurrent(`${example.name} (line ${example.line}) prints what the docs show`, async ({ expect }) => {
      const file = join(scratch, `${example.name}.ts`)
      writeFileSync(file, againstSources(example.code))
      const { code, stdout, stderr } = await run(["--import", "tsx", file], ROOT)
      expect(stderr).toBe("")
      expect(code).toBe(0)
      expect(stdout).toBe(`${example.output}\n`)
    })
  }

  for (const example of examples.filter((e) => e.output === undefined)) {
    it.concurrent(`${example.name} (line ${example.line}) passes under vitest`, async ({ expect }) => {
      const dir = join(scratch, example.name)
      mkdirSync(dir, { recursive: true })
      // Not a *.test.ts name: the repository's own vitest must never collect it.
      writeFileSync(join(dir, `${example.name}.doc.ts`), againstSources(example.code))
      writeFileSync(join(dir, "vitest.config.mjs"), "export default { test: { include: [\"*.doc.ts\"] } }\n")
      const { code, stdout, stderr } = await run([join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run"], dir)
      expect(code, `${stdout}\n${stderr}`).toBe(0)
      expect(stdout).toMatch(/Tests\s+1 passed \(1\)/)
    })
  }
})
