/**
 * The public face: every export of the library (`src/index.ts`) and of the
 * client (`src/client/index.ts`) has a JSDoc comment where it is defined,
 * and none of the runtime's machinery is exported.
 */
import ts from "typescript"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const entries = ["src/index.ts", "src/client/index.ts"].map((f) => `${ROOT}${f}`)

const program = ts.createProgram(entries, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  skipLibCheck: true
})
const checker = program.getTypeChecker()

interface Export {
  readonly name: string
  readonly documented: boolean
  readonly file: string
}

const exportsOf = (entry: string): Array<Export> => {
  const source = program.getSourceFile(entry)!
  const module = checker.getSymbolAtLocation(source)!
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const declarations = target.getDeclarations() ?? []
    const documented = target.getDocumentationComment(checker).length > 0 ||
      declarations.some((d) => ts.getJSDocCommentsAndTags(d).length > 0) ||
      // A namespace export (`export * as Module`): its module's own comment.
      declarations.some((d) => ts.isSourceFile(d) && /^\/\*\*/.test(d.getFullText().trimStart()))
    return { name: symbol.getName(), documented, file: declarations[0]?.getSourceFile().fileName.replace(ROOT, "") ?? "?" }
  })
}

describe("the public API", () => {
  for (const entry of entries) {
    const name = entry.replace(ROOT, "")
    it(`${name}: every export has a JSDoc comment`, () => {
      const exported = exportsOf(entry)
      expect(exported.length).toBeGreaterThan(10)
      expect(exported.filter((e) => !e.documented).map((e) => `${e.name} (${e.file})`)).toEqual([])
    })
  }

  it("exports none of the runtime's machinery", () => {
    const names = exportsOf(entries[0]!).map((e) => e.name)
    expect(exportsOf(entries[0]!).filter((e) => e.file.startsWith("src/runtime/internal/")).map((e) => e.name)).toEqual([])
    for (const machinery of ["EventSink", "Driver", "ExecutionState", "Publisher", "Forks", "execute"]) expect(names).not.toContain(machinery)
    for (const needed of ["Engine", "Compiler", "Module", "Constellation", "ExecutionLog", "BatchResult", "OutputEvent"]) expect(names).toContain(needed)
    // Each service's layer, to assemble an engine by hand (docs/library.md, "Services and layers").
    for (const layer of ["layerEngine", "layerScheduler", "layerSchedulerWith", "layerRegistry", "layerStdlib", "layerStdlibWith", "makeRegistry"]) {
      expect(names).toContain(layer)
    }
  })
})
