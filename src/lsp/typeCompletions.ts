/**
 * The types a declaration may name: the built-in ones, the generic ones
 * and the document's aliases.
 */
import { CompletionItemKind } from "vscode-languageserver"
import type { CompletionItem } from "vscode-languageserver"
import type { Analysis } from "./Analysis.js"

const builtins: ReadonlyArray<readonly [string, string]> = [
  ["String", "text"],
  ["Int", "a whole number (64-bit, safe-integer range in JSON)"],
  ["Float", "a number"],
  ["Boolean", "true or false"],
  ["List", "List<T>: values of one type, in order"],
  ["Optional", "Optional<T>: a value that may be missing"],
  ["Map", "Map<K, V>: values by key"],
  ["Candidates", "Candidates<T>: a list of candidates, as the original's ML modules take"]
]

/** Completion items for a type position. */
export const typeCompletions = (analysis: Analysis): Array<CompletionItem> => [
  ...builtins.map(([label, detail]) => ({ label, kind: CompletionItemKind.TypeParameter, detail, sortText: `1${label}` })),
  ...[...analysis.symbols.types.values()].map((t) => ({ label: t.name, kind: CompletionItemKind.Struct, detail: "type alias", sortText: `0${t.name}` }))
]
