/**
 * The open documents' analyses: one per document, for its latest version,
 * built on demand (a request) or after the edits of a short pause (the
 * diagnostics); a closed document's is dropped.
 */
import type { TextDocument } from "vscode-languageserver-textdocument"
import type { ModuleRegistryShape } from "../modules/ModuleRegistry.js"
import { analyze } from "./Analysis.js"
import type { Analysis } from "./Analysis.js"

export interface DocumentStore {
  /** The analysis of this version of the document (built now if it is not cached). */
  readonly analysisOf: (document: TextDocument) => Analysis
  readonly drop: (uri: string) => void
  /** How many documents have an analysis cached. */
  readonly size: () => number
}

export const makeDocumentStore = (registry: ModuleRegistryShape): DocumentStore => {
  const cache = new Map<string, { readonly version: number; readonly analysis: Analysis }>()
  return {
    analysisOf: (document) => {
      const cached = cache.get(document.uri)
      if (cached !== undefined && cached.version === document.version) return cached.analysis
      const analysis = analyze(document.getText(), registry)
      cache.set(document.uri, { version: document.version, analysis })
      return analysis
    },
    drop: (uri) => {
      cache.delete(uri)
    },
    size: () => cache.size
  }
}
