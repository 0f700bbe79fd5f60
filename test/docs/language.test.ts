/**
 * Checks docs/language.md against the implementation: every constellation
 * block compiles (or fails with exactly the codes its marker expects), every
 * block with inputs runs to the outputs it shows, the diagnostics table
 * lists every code the lexer, parser and checker can report, and the
 * backoff table matches the runtime's delays.
 */
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { DiagnosticCodes } from "../../src/lang/diagnostic.js"
import type { DiagnosticName } from "../../src/lang/diagnostic.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import { retryDelay } from "../../src/runtime/internal/moduleRun.js"
import type { Backoff } from "../../src/lang/dag.js"
import { acmeTrim } from "./acmeText.js"
import { checkBlock, codeBlocks, diagnosticsOf, firstCode, readDoc, tableAfter } from "./markdown.js"

const doc = readDoc("docs/language.md")
const blocks = codeBlocks(doc)
const pipelines = blocks.filter((b) => b.lang === "constellation")

describe("docs/language.md examples", () => {
  it("has examples of every kind", () => {
    expect(pipelines.length).toBeGreaterThanOrEqual(30)
    expect(pipelines.filter((b) => b.run !== undefined).length).toBeGreaterThanOrEqual(15)
    expect(pipelines.filter((b) => b.expect !== undefined).length).toBeGreaterThanOrEqual(6)
  })

  it("labels every code block with a language the tests know", () => {
    for (const b of blocks) expect(["constellation", "text", "json", "ts", "sh"], `line ${b.line}`).toContain(b.lang)
  })

  for (const block of pipelines) {
    const what = block.expect !== undefined ? `fails with ${block.expect.join(" ")}` : block.run !== undefined ? "runs" : "compiles"
    it.effect(`line ${block.line} (${block.section}) ${what}`, () => checkBlock(block, () => [...makeStdlib(), acmeTrim]))
  }

  it("shows the diagnostics of the block before a diagnostics listing exactly", () => {
    const listings = blocks.flatMap((b, i) =>
      b.lang === "text" && b.code.split("\n").every((l) => /^\d+:\d+ E\d{3} /.test(l)) ? [[blocks[i - 1]!, b] as const] : []
    )
    expect(listings.length).toBeGreaterThanOrEqual(1)
    for (const [source, listing] of listings) {
      const shown = diagnosticsOf(source.code, makeStdlib()).map((d) => d.replace(/^(E\d+) (\d+:\d+)/, "$2 $1"))
      expect(shown.join("\n"), `line ${listing.line}`).toBe(listing.code)
    }
  })
})

/** The catalogue names the lexer, parser and checker pass to `diagnostic`, `fail` or `report`. */
const emittedNames = (): Array<DiagnosticName> => {
  const dir = new URL("../../src/lang/", import.meta.url)
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "diagnostic.ts").map((f) => new URL(f, dir)),
    ...readdirSync(new URL("checker/", dir)).filter((f) => f.endsWith(".ts")).map((f) => new URL(`checker/${f}`, dir))
  ]
  const source = files.map((f) => readFileSync(f, "utf8")).join("\n")
  return (Object.keys(DiagnosticCodes) as Array<DiagnosticName>).filter((name) => source.includes(`"${name}"`))
}

describe("docs/language.md diagnostics table", () => {
  const rows = tableAfter(doc, "Diagnostics")

  it("lists every code the compiler can report, with its name", () => {
    const emitted = emittedNames()
    expect(emitted.length).toBeGreaterThanOrEqual(30)
    const listed = new Map(rows.map((r) => [r[0], r[1]]))
    for (const name of emitted) expect(listed.get(DiagnosticCodes[name]), name).toBe(name)
  })

  it("lists only catalogue codes, in catalogue order", () => {
    expect(rows.map((r) => `${r[0]} ${r[1]}`)).toEqual(
      Object.entries(DiagnosticCodes).filter(([name]) => emittedNames().includes(name as DiagnosticName)).map(([name, code]) => `${code} ${name}`)
    )
  })

  it("gives each code a meaning and an example found in a block that reports it", () => {
    for (const [code, name, meaning, example] of rows) {
      expect(meaning, `${code} ${name}`).not.toBe("")
      const text = firstCode(example ?? "")
      expect(text, `${code} has an example`).toBeDefined()
      const shown = pipelines.some((b) => b.expect?.includes(code!) === true && b.code.includes(text!))
      expect(shown, `${code}: \`${text}\` appears in a block expecting ${code}`).toBe(true)
    }
  })
})

describe("docs/language.md backoff table", () => {
  it("gives the delays the runtime waits", () => {
    const rows = doc.split("\n").filter((l) => /^\| `(fixed|linear|exponential|capped)` \|/.test(l))
    expect(rows).toHaveLength(4)
    for (const row of rows) {
      const cells = row.split("|").map((c) => c.trim())
      const backoff = cells[1]!.replaceAll("`", "") as Backoff
      const shown = cells.slice(2, 6).map(Number)
      expect(shown, backoff).toEqual([1, 2, 3, 4].map((n) => retryDelay({ delayMs: 100, backoff }, n)))
    }
    expect([1, 2, 3, 4].map((n) => retryDelay({ delayMs: 100, backoff: "exponential", maxDelayMs: 250 }, n))).toEqual([100, 200, 250, 250])
    expect(doc).toContain("the `exponential` row reads 100, 200, 250, 250")
    expect(retryDelay({ delayMs: 100_000, backoff: "capped" }, 1)).toBe(30_000)
  })
})
