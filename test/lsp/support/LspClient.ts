/**
 * A real LSP client for the tests: the `constellation lsp --stdio` binary
 * spawned as a child process and spoken to with `vscode-jsonrpc`, exactly
 * as an editor does. Diagnostics are collected per document and version.
 */
import { spawn } from "node:child_process"
import type { ChildProcessWithoutNullStreams } from "node:child_process"
import { fileURLToPath } from "node:url"
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node"
import type { MessageConnection } from "vscode-jsonrpc/node"
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from "vscode-languageserver-protocol"

const root = fileURLToPath(new URL("../../../", import.meta.url))

export interface LspClient {
  readonly connection: MessageConnection
  readonly child: ChildProcessWithoutNullStreams
  readonly initialized: InitializeResult
  readonly open: (uri: string, text: string) => void
  readonly change: (uri: string, version: number, changes: ReadonlyArray<TextDocumentContentChangeEvent>) => void
  readonly close: (uri: string) => void
  /** The diagnostics published for `uri` at `version` (waits for them, up to `timeoutMs`). */
  readonly diagnostics: (uri: string, version: number, timeoutMs?: number) => Promise<ReadonlyArray<Diagnostic>>
  /** The next diagnostics published for `uri`, whatever their version. */
  readonly nextPublished: (uri: string) => Promise<PublishDiagnosticsParams>
  readonly request: <R>(method: string, params: unknown) => Promise<R>
  /** The server's heap after a full collection (it runs with --expose-gc), and how many documents it holds. */
  readonly stats: () => Promise<{ readonly documents: number; readonly heapUsedBytes: number; readonly collected: boolean }>
  readonly stop: () => Promise<number | null>
  readonly stderr: () => string
}

/** Starts the server binary and initializes it as a client with snippet support would. */
export const startLspClient = async (capabilities: Record<string, unknown> = {}): Promise<LspClient> => {
  const child = spawn(process.execPath, ["--expose-gc", "bin/constellation.mjs", "lsp", "--stdio"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] })
  let stderr = ""
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin))
  const published = new Map<string, PublishDiagnosticsParams>()
  const waiters: Array<() => void> = []
  const listeners: Array<(p: PublishDiagnosticsParams) => boolean> = []
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    published.set(`${p.uri}@${p.version ?? "-"}`, p)
    for (const w of waiters.splice(0)) w()
    for (let i = listeners.length - 1; i >= 0; i--) if (listeners[i]!(p)) listeners.splice(i, 1)
  })
  connection.listen()
  const initialized = await connection.sendRequest<InitializeResult>("initialize", {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } }, ...capabilities }
  })
  await connection.sendNotification("initialized", {})

  const diagnostics = (uri: string, version: number, timeoutMs = 10_000) =>
    new Promise<ReadonlyArray<Diagnostic>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} version ${version} within ${timeoutMs} ms`)), timeoutMs)
      const check = () => {
        const p = published.get(`${uri}@${version}`)
        if (p !== undefined) {
          clearTimeout(timer)
          resolve(p.diagnostics)
        } else waiters.push(check)
      }
      check()
    })

  return {
    connection,
    child,
    initialized,
    open: (uri, text) => void connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "constellation", version: 1, text } }),
    change: (uri, version, contentChanges) => void connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges }),
    close: (uri) => void connection.sendNotification("textDocument/didClose", { textDocument: { uri } }),
    diagnostics,
    nextPublished: (uri) =>
      new Promise((resolve) => {
        listeners.push((p) => {
          if (p.uri !== uri) return false
          resolve(p)
          return true
        })
      }),
    request: (method, params) => connection.sendRequest(method, params),
    stats: () => connection.sendRequest("constellation/stats"),
    stop: async () => {
      await connection.sendRequest("shutdown").catch(() => undefined)
      await connection.sendNotification("exit").catch(() => undefined)
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
      const code = await exited
      clearTimeout(timer)
      connection.dispose()
      return code
    },
    stderr: () => stderr
  }
}

/** A position from a 1-based line and column, as an editor shows them. */
export const pos = (line: number, column: number) => ({ line: line - 1, character: column - 1 })

/** The position of the `n`th (0-based) occurrence of `needle` in `text`, `shift` characters into it. */
export const positionOf = (text: string, needle: string, shift = 0, n = 0) => {
  let at = -1
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1)
    if (at < 0) throw new Error(`'${needle}' not found`)
  }
  const offset = at + shift
  const before = text.slice(0, offset)
  const line = before.split("\n").length - 1
  return { line, character: offset - (before.lastIndexOf("\n") + 1) }
}
