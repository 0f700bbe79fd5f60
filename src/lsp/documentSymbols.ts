/**
 * The outline of a document: its inputs, values, outputs, type aliases
 * and imports, in source order, each with its type.
 */
import { SymbolKind } from "vscode-languageserver"
import type { DocumentSymbol } from "vscode-languageserver"
import type { Analysis } from "./Analysis.js"
import { describeType } from "./symbolType.js"

/** The document's symbols, one per declaration. */
export const documentSymbols = (analysis: Analysis): Array<DocumentSymbol> => {
  const { lines, symbols } = analysis
  const typeOf = (name: string): string => {
    const symbol = symbols.values.get(name)
    return (symbol === undefined ? undefined : describeType(analysis, symbol)) ?? ""
  }
  return analysis.program.declarations.map((d): DocumentSymbol => {
    const range = lines.rangeOf(d.span)
    const selectionRange = lines.rangeOf(d.name.span)
    switch (d._tag) {
      case "InputDecl":
        return { name: d.name.name, detail: `in: ${typeOf(d.name.name)}`, kind: SymbolKind.Field, range, selectionRange }
      case "Assignment":
        return { name: d.name.name, detail: typeOf(d.name.name), kind: SymbolKind.Variable, range, selectionRange }
      case "OutputDecl":
        return { name: `out ${d.name.name}`, detail: typeOf(d.name.name), kind: SymbolKind.Event, range, selectionRange }
      case "TypeAlias":
        return { name: d.name.name, detail: "type", kind: SymbolKind.Struct, range, selectionRange }
      case "UseDecl":
        return { name: `use ${d.path.map((p) => p.name).join(".")}${d.alias === undefined ? "" : ` as ${d.alias.name}`}`, kind: SymbolKind.Namespace, range, selectionRange }
    }
  })
}
