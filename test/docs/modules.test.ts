/**
 * Checks docs/modules.md against the standard library: every registered
 * module has a section with its exact signature (generated from the
 * registry), the codes it documents are shown failing, its latency is shown
 * elapsing, and every example compiles and runs. The "write your own
 * module" example is test/docs/ownModule.ts, verbatim.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { signature } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import { checkBlock, codeBlocks, readDoc } from "./markdown.js"
import type { Block } from "./markdown.js"
import { Initials, LookupUser } from "./ownModule.js"
import { Shout } from "./shoutModule.js"

const doc = readDoc("docs/modules.md")
const blocks = codeBlocks(doc)
const stdlib = makeStdlib()
const ownHeading = "## Writing your own module"

/** The text of each `### Name` section before "Writing your own module", by name. */
const sections: ReadonlyMap<string, string> = (() => {
  const reference = doc.slice(0, doc.indexOf(ownHeading))
  const parts = reference.split(/^### /m).slice(1)
  return new Map(parts.map((part) => [part.slice(0, part.indexOf("\n")).trim(), part.split(/^## /m)[0]!]))
})()

const blocksOf = (name: string): Array<Block> => blocks.filter((b) => b.section === name && b.lang === "constellation")

/** The backquoted snake_case codes on the section's `Errors:` line. */
const documentedErrors = (section: string): Array<string> => {
  const line = section.split("\n").find((l) => l.startsWith("Errors:"))
  if (line === undefined) throw new Error("no Errors: line")
  return [...line.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map((m) => m[1]!)
}

describe("docs/modules.md reference", () => {
  it("has a section for every standard module and for nothing else", () => {
    expect([...sections.keys()].sort()).toEqual(stdlib.map((m) => m.name).sort())
  })

  for (const module of stdlib) {
    describe(module.name, () => {
      const section = sections.get(module.name) ?? ""

      it("shows the exact signature from the registry", () => {
        expect(section.split("\n")[2]).toBe(`\`${signature(module)}\``)
      })

      it("documents the codes its description names, and shows each one failing", () => {
        const documented = documentedErrors(section)
        const named = [...module.description.matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g)].map((m) => m[0])
        for (const code of named) expect(documented, `${module.name} names ${code}`).toContain(code)
        const shown = new Set(blocksOf(module.name).flatMap((b) => Object.values(b.run?.errors ?? {})))
        for (const code of documented) expect(shown.has(code), `an example of ${module.name} fails with ${code}`).toBe(true)
      })

      it("has a runnable example that calls it", () => {
        // A namespaced function may be called by its member name (`add(` for stdlib.math.add).
        const member = module.name.slice(module.name.lastIndexOf(".") + 1)
        const calls = blocksOf(module.name).filter((b) => b.run !== undefined && b.code.includes(`${member}(`))
        expect(calls.length).toBeGreaterThanOrEqual(1)
      })

      it("shows its latency elapsing, when it has one", () => {
        const latency = /^Latency: (\d+) ms/m.exec(section)
        if (latency === null) return
        const elapsed = blocksOf(module.name).map((b) => b.run?.elapsed)
        expect(elapsed).toContain(Number(latency[1]))
      })
    })
  }

  it("gives the latency of every module that waits", () => {
    for (const name of ["Delay", "QuickCheck", "RateLimitedApi", "SlowQuery", "SlowApiCall", "FlakyService"]) {
      expect(sections.get(name), name).toMatch(/^Latency: /m)
    }
    expect(sections.get("QuickCheck")).toContain("Latency: 10 ms.")
    expect(sections.get("RateLimitedApi")).toContain("Latency: 50 ms.")
    expect(sections.get("SlowQuery")).toContain("Latency: 500 ms.")
    expect(sections.get("SlowApiCall")).toContain("Latency: 1000 ms.")
  })
})

describe("docs/modules.md examples", () => {
  const pipelines = blocks.filter((b) => b.lang === "constellation")

  it("labels every code block with a language the tests know", () => {
    for (const b of blocks) expect(["constellation", "ts", "text", "json", "sh"], `line ${b.line}`).toContain(b.lang)
    expect(pipelines.length).toBeGreaterThanOrEqual(stdlib.length)
  })

  for (const block of pipelines) {
    it.effect(`line ${block.line} (${block.section}) ${block.run !== undefined ? "runs" : "compiles"}`, () =>
      checkBlock(block, () => [...makeStdlib(), Initials, LookupUser, Shout]))
  }
})

describe("docs/modules.md: writing your own module", () => {
  it("shows test/docs/ownModule.ts verbatim, importing the package", () => {
    const shown = blocks.filter((b) => b.lang === "ts" && b.section === ownHeading.slice(3))
    expect(shown).toHaveLength(1)
    const file = readFileSync(new URL("./ownModule.ts", import.meta.url), "utf8")
    expect(`${shown[0]!.code}\n`).toBe(file.replace("from \"../../src/index.js\"", "from \"constellation\""))
  })

  it("gives the signatures the registry derives", () => {
    expect(doc).toContain(`\`${signature(Initials)}\``)
    expect(doc).toContain(`\`${signature(LookupUser)}\``)
    expect(doc).toContain(`\`${signature(Shout)}\``)
  })

  it("shows test/docs/shoutModule.ts verbatim for parameters with defaults", () => {
    const shown = blocks.filter((b) => b.lang === "ts" && b.section === "Parameters with defaults")
    expect(shown).toHaveLength(1)
    const file = readFileSync(new URL("./shoutModule.ts", import.meta.url), "utf8")
    expect(`${shown[0]!.code}\n`).toBe(file.replace("from \"../../src/index.js\"", "from \"constellation\""))
  })
})
