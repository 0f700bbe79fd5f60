/**
 * The type of a declared name, as the checker inferred it.
 */
import { lambdaParamTypes } from "../lang/checker/lambdas.js"
import { printType } from "../lang/types.js"
import type { Type } from "../lang/types.js"
import type { Analysis } from "./Analysis.js"
import type { SymbolDef } from "./SymbolIndex.js"

/** The type of a symbol as the checker has it, if it has one. */
export const symbolType = (analysis: Analysis, symbol: SymbolDef): Type | undefined => {
  const { checked } = analysis
  switch (symbol.kind) {
    case "input":
      return checked.inputs.find((i) => i.name === symbol.name)?.type
    case "assignment":
      return checked.assignments.find((a) => a.name === symbol.name)?.type
    case "parameter": {
      if (symbol.owner?._tag !== "Lambda") return undefined
      const index = symbol.owner.params.findIndex((p) => p.name.name === symbol.name)
      return lambdaParamTypes(symbol.owner)[index]
    }
    case "binding": {
      const read = analysis.symbols.occurrencesOf(symbol).find((o) => o.expr !== undefined && checked.types.has(o.expr))
      return read?.expr === undefined ? undefined : checked.types.get(read.expr)
    }
    default:
      return undefined
  }
}

/**
 * A symbol's type for display: an input's type as written (`User`, not
 * the record it stands for), else the checker's type printed.
 */
export const describeType = (analysis: Analysis, symbol: SymbolDef): string | undefined => {
  if (symbol.kind === "input") {
    const decl = analysis.program.declarations.find((d) => d._tag === "InputDecl" && d.name.name === symbol.name)
    if (decl?._tag === "InputDecl" && decl.type.span.end.offset > decl.type.span.start.offset) {
      return analysis.text.slice(decl.type.span.start.offset, decl.type.span.end.offset).replace(/\s+/g, " ")
    }
  }
  const type = symbolType(analysis, symbol)
  return type === undefined ? undefined : printType(type)
}
