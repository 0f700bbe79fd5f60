/**
 * The constellation-lang language server on any LSP connection (stdio,
 * a WebSocket): documents synced incrementally, diagnostics published a
 * moment after the last edit, and the language features answered from
 * each document's cached analysis.
 */
import { CodeActionKind, TextDocumentSyncKind, TextDocuments } from "vscode-languageserver"
import type { Connection, InitializeResult } from "vscode-languageserver"
import { TextDocument } from "vscode-languageserver-textdocument"
import type { ModuleRegistryShape } from "../modules/ModuleRegistry.js"
import { quickFixes } from "./codeActions.js"
import { completionsAt } from "./completion.js"
import { lspDiagnostics } from "./diagnostics.js"
import { makeDocumentStore } from "./DocumentStore.js"
import { documentSymbols } from "./documentSymbols.js"
import { hoverAt } from "./hover.js"
import { definitionAt, highlightsAt, prepareRenameAt, referencesAt, renameAt } from "./navigation.js"
import { semanticTokens, semanticTokensLegend } from "./semanticTokens.js"
import { signatureHelpAt } from "./signatureHelp.js"

export interface LanguageServerOptions {
  /** The modules pipelines may call. */
  readonly registry: ModuleRegistryShape
  /** How long after an edit diagnostics are published, unless another edit comes first (default 5 ms). */
  readonly debounceMs?: number
}

/** What `constellation/stats` answers: the documents analysed and the heap (after a full GC when Node runs with `--expose-gc`). */
export interface ServerStats {
  readonly documents: number
  readonly heapUsedBytes: number
  readonly collected: boolean
}

/** A request of this server beyond LSP: its memory, for tests and benchmarks. */
export const STATS_REQUEST = "constellation/stats"

const collectGarbage = (): boolean => {
  const gc: unknown = Reflect.get(globalThis, "gc")
  if (typeof gc !== "function") return false
  gc()
  return true
}

/** The name the server gives itself in `initialize`. */
export const SERVER_NAME = "constellation-lsp"

/** Serves the language on `connection` (its handlers registered, then `listen`ed to); the result stops its timers. */
export const serveLanguage = (connection: Connection, options: LanguageServerOptions): { readonly dispose: () => void } => {
  const documents = new TextDocuments(TextDocument)
  const store = makeDocumentStore(options.registry)
  const debounceMs = options.debounceMs ?? 5
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  let snippets = false

  const publish = (uri: string) => {
    timers.delete(uri)
    const document = documents.get(uri)
    if (document === undefined) return
    const analysis = store.analysisOf(document)
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics: lspDiagnostics(analysis, uri) })
  }
  const schedule = (uri: string) => {
    clearTimeout(timers.get(uri))
    timers.set(uri, setTimeout(() => publish(uri), debounceMs))
  }

  /** Runs a request against the latest analysis of its document; an unknown document answers `fallback`. */
  const withDocument = <A>(uri: string, fallback: A, f: (document: TextDocument) => A): A => {
    const document = documents.get(uri)
    return document === undefined ? fallback : f(document)
  }
  const at = (document: TextDocument, position: { line: number; character: number }) => {
    const analysis = store.analysisOf(document)
    return { analysis, offset: analysis.lines.offsetAt(position) }
  }

  connection.onInitialize((params): InitializeResult => {
    snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [".", ":", "@"] },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [","] },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: { legend: semanticTokensLegend, full: true }
      },
      serverInfo: { name: SERVER_NAME, version: "0.1.0" }
    }
  })

  documents.onDidOpen((e) => schedule(e.document.uri))
  documents.onDidChangeContent((e) => schedule(e.document.uri))
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri))
    timers.delete(e.document.uri)
    store.drop(e.document.uri)
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] })
  })

  connection.onCompletion((p) => withDocument(p.textDocument.uri, [], (d) => {
    const { analysis, offset } = at(d, p.position)
    return completionsAt(analysis, offset, { snippets })
  }))
  connection.onHover((p) => withDocument(p.textDocument.uri, null, (d) => {
    const { analysis, offset } = at(d, p.position)
    return hoverAt(analysis, offset)
  }))
  connection.onSignatureHelp((p) => withDocument(p.textDocument.uri, null, (d) => {
    const { analysis, offset } = at(d, p.position)
    return signatureHelpAt(analysis, offset)
  }))
  connection.onDefinition((p) => withDocument(p.textDocument.uri, [], (d) => {
    const { analysis, offset } = at(d, p.position)
    return definitionAt(analysis, d.uri, offset)
  }))
  connection.onReferences((p) => withDocument(p.textDocument.uri, [], (d) => {
    const { analysis, offset } = at(d, p.position)
    return referencesAt(analysis, d.uri, offset, p.context.includeDeclaration)
  }))
  connection.onDocumentHighlight((p) => withDocument(p.textDocument.uri, [], (d) => {
    const { analysis, offset } = at(d, p.position)
    return highlightsAt(analysis, offset)
  }))
  connection.onPrepareRename((p) => withDocument(p.textDocument.uri, null, (d) => {
    const { analysis, offset } = at(d, p.position)
    return prepareRenameAt(analysis, offset)
  }))
  connection.onRenameRequest((p) => withDocument(p.textDocument.uri, null, (d) => {
    const { analysis, offset } = at(d, p.position)
    return { changes: { [d.uri]: renameAt(analysis, offset, p.newName) } }
  }))
  connection.onDocumentSymbol((p) => withDocument(p.textDocument.uri, [], (d) => documentSymbols(store.analysisOf(d))))
  connection.onCodeAction((p) => quickFixes(p.textDocument.uri, p.context.diagnostics))
  connection.languages.semanticTokens.on((p) => withDocument(p.textDocument.uri, { data: [] }, (d) => semanticTokens(store.analysisOf(d))))
  connection.onRequest(STATS_REQUEST, (): ServerStats => {
    const collected = collectGarbage()
    return { documents: store.size(), heapUsedBytes: process.memoryUsage().heapUsed, collected }
  })
  const stopTimers = () => {
    for (const timer of timers.values()) clearTimeout(timer)
    timers.clear()
  }
  connection.onShutdown(stopTimers)

  documents.listen(connection)
  connection.listen()
  return { dispose: stopTimers }
}
