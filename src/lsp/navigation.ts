/**
 * Go to definition, find references, document highlights and rename, for
 * every declared name: inputs, values, type aliases, `use` aliases, lambda
 * parameters and match bindings.
 */
import { ResponseError, ErrorCodes } from "vscode-languageserver"
import type { DocumentHighlight, Location, Range, TextEdit } from "vscode-languageserver"
import { DocumentHighlightKind } from "vscode-languageserver"
import { builtinTypes } from "../lang/checker/resolveType.js"
import { keywordKinds } from "../lang/token.js"
import type { Analysis } from "./Analysis.js"

/** The definition of the name at `offset`: where it is defined (several places for a duplicate). */
export const definitionAt = (analysis: Analysis, uri: string, offset: number): Array<Location> => {
  const o = analysis.symbols.at(offset)
  return o === undefined ? [] : o.symbol.definitions.map((span) => ({ uri, range: analysis.lines.rangeOf(span) }))
}

/** Every place naming the symbol at `offset`; its definitions only when asked. */
export const referencesAt = (analysis: Analysis, uri: string, offset: number, includeDeclaration: boolean): Array<Location> => {
  const o = analysis.symbols.at(offset)
  if (o === undefined) return []
  return analysis.symbols.occurrencesOf(o.symbol)
    .filter((r) => includeDeclaration || !r.isDefinition)
    .map((r) => ({ uri, range: analysis.lines.rangeOf(r.span) }))
}

export const highlightsAt = (analysis: Analysis, offset: number): Array<DocumentHighlight> => {
  const o = analysis.symbols.at(offset)
  if (o === undefined) return []
  return analysis.symbols.occurrencesOf(o.symbol).map((r) => ({
    range: analysis.lines.rangeOf(r.span),
    kind: r.isDefinition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read
  }))
}

/** The range of the name rename would change at `offset`, or `null` where nothing can be renamed. */
export const prepareRenameAt = (analysis: Analysis, offset: number): { range: Range; placeholder: string } | null => {
  const o = analysis.symbols.at(offset)
  return o === undefined ? null : { range: analysis.lines.rangeOf(o.span), placeholder: o.symbol.name }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/

/** The edits renaming the symbol at `offset` to `newName`; a `ResponseError` says why a name cannot be taken. */
export const renameAt = (analysis: Analysis, offset: number, newName: string): Array<TextEdit> => {
  const o = analysis.symbols.at(offset)
  if (o === undefined) throw new ResponseError(ErrorCodes.InvalidRequest, "There is no declared name here to rename.")
  if (!NAME.test(newName)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is not a name: a name starts with a letter or '_' and holds letters, digits, '_' and '-' between them.`)
  }
  if (keywordKinds.has(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is a keyword and cannot name anything.`)
  const { symbols } = analysis
  const table = o.symbol.kind === "type" ? symbols.types : o.symbol.kind === "namespace" ? symbols.aliases : symbols.values
  const taken = newName !== o.symbol.name &&
    (table.has(newName) || (o.symbol.kind === "type" && builtinTypes.has(newName)) || (o.symbol.scope !== undefined && symbols.values.has(newName)))
  if (taken) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is already defined in this pipeline.`)
  return symbols.occurrencesOf(o.symbol).map((r) => ({ range: analysis.lines.rangeOf(r.span), newText: newName }))
}
