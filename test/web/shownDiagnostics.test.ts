/**
 * The editor's diagnostics from the language server's publications (made
 * by src/lsp from real analyses) and which of the two sources the page
 * shows for a source.
 */
import { describe, expect, it } from "vitest"
import { analyze } from "../../src/lsp/Analysis.js"
import { lspDiagnostics } from "../../src/lsp/diagnostics.js"
import { makeRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import type { CompileOutcome } from "../../src/web/app/CompileLoop.js"
import type { EditorDiagnostic } from "../../src/web/app/diagnostics.js"
import { decodePublishDiagnostics, editorDiagnostics } from "../../src/web/app/lspDiagnostics.js"
import { shownDiagnostics } from "../../src/web/app/shownDiagnostics.js"
import { compiled } from "./support/compiled.js"

const URI = "inmemory://dashboard/pipeline.cst"
const registry = makeRegistry(makeStdlib())

/** What the dashboard reads from the language server's publication for `text`. */
const fromServer = (text: string): ReadonlyArray<EditorDiagnostic> => {
  const published = decodePublishDiagnostics(JSON.parse(JSON.stringify({ uri: URI, version: 1, diagnostics: lspDiagnostics(analyze(text, registry), URI) })))
  if (published === undefined) throw new Error("not a publishDiagnostics")
  return editorDiagnostics(published, URI)
}

describe("editorDiagnostics", () => {
  it("gives the compiler's code, 1-based range, message and hint, as POST /compile does", () => {
    expect(fromServer("in text: String\nout upper\nupper = Uppercas(text)\n")).toEqual([{
      code: "E400",
      name: "UnknownModule",
      message: "Unknown module `Uppercas`: no module of that name is registered.",
      line: 3,
      column: 9,
      endLine: 3,
      endColumn: 17,
      hint: "did you mean `Uppercase`?"
    }])
  })

  it("keeps the related locations in the same document", () => {
    const [duplicate] = fromServer("in text: String\nshout = Uppercase(text)\nshout = Lowercase(text)\nout shout\n")
    expect(duplicate).toMatchObject({ code: "E201", line: 3, column: 1, related: [{ line: 2, column: 1, message: "`shout` is first defined here" }] })
  })

  it("refuses what is not a publication", () => {
    expect(decodePublishDiagnostics({ uri: URI, diagnostics: [{ message: "no range" }] })).toBeUndefined()
    expect(decodePublishDiagnostics(null)).toBeUndefined()
  })
})

describe("shownDiagnostics", () => {
  const source = "in text: String\nout upper\nupper = Uppercas(text)\n"
  const lsp = { text: source, diagnostics: fromServer(source) }
  const invalid: CompileOutcome = { _tag: "Invalid", source, diagnostics: [{ code: "E400", name: "UnknownModule", message: "m", line: 3, column: 9, endLine: 3, endColumn: 17 }] }
  const unavailable: CompileOutcome = { _tag: "Unavailable", source, message: "offline", keyProblem: undefined }

  it("shows the language server's diagnostics when it has some, whatever the compile loop says", () => {
    for (const outcome of [undefined, invalid, unavailable]) {
      expect(shownDiagnostics(source, lsp, outcome)).toEqual({ from: "lsp", diagnostics: lsp.diagnostics, status: { _tag: "Invalid", diagnostics: lsp.diagnostics } })
    }
  })

  it("shows the compile loop's while the language server is down or has not answered for this source", () => {
    for (const published of [undefined, { text: "older", diagnostics: [] }]) {
      expect(shownDiagnostics(source, published, invalid)).toMatchObject({ from: "compile", diagnostics: invalid.diagnostics })
      expect(shownDiagnostics(source, published, undefined)).toEqual({ from: "compile", diagnostics: undefined, status: { _tag: "Checking" } })
      expect(shownDiagnostics(source, published, unavailable)).toEqual({ from: "compile", diagnostics: undefined, status: { _tag: "Unavailable", message: "offline" } })
    }
  })

  it("shows the compile loop's diagnostics where the language server found none, rather than nothing", () => {
    expect(shownDiagnostics(source, { text: source, diagnostics: [] }, invalid)).toMatchObject({ from: "compile", diagnostics: invalid.diagnostics })
  })

  it("clears the squiggles on an empty publication and takes the verdict from the compile loop", async () => {
    const good = "in text: String\nout upper\nupper = Uppercase(text)\n"
    const outcome: CompileOutcome = { _tag: "Compiled", source: good, compiled: await compiled(good) }
    const published = { text: good, diagnostics: [] }
    expect(shownDiagnostics(good, published, undefined)).toEqual({ from: "lsp", diagnostics: [], status: { _tag: "Checking" } })
    expect(shownDiagnostics(good, published, outcome)).toEqual({ from: "lsp", diagnostics: [], status: { _tag: "Compiled", summary: "1 input · 1 module · 1 output" } })
    expect(shownDiagnostics(good, undefined, outcome)).toEqual({ from: "compile", diagnostics: [], status: { _tag: "Compiled", summary: "1 input · 1 module · 1 output" } })
  })
})
