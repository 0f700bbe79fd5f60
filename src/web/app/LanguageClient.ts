/**
 * The dashboard's client of the language server at `GET /lsp` (a
 * WebSocket, one JSON-RPC message per frame): the editor's text synced
 * whole on each change, the diagnostics the server publishes for it,
 * completion and hover requested at an offset. The API key goes as the
 * subprotocol `bearer.<key>`. The socket opens on the first update; when
 * it cannot open or closes, the client says it is down and tries again on
 * a later update, waiting longer after each failure (2 s doubling to a
 * minute), with the text re-sent once it is open.
 */
import type { EditorDiagnostic } from "./diagnostics.js"
import { decodePublishDiagnostics, editorDiagnostics } from "./lspDiagnostics.js"

export interface CompletionEntry {
  readonly label: string
  readonly detail?: string
  readonly insertText?: string
  readonly sortText?: string
  readonly kind?: number
}

export interface LanguageClient {
  /** Tells the server the editor's text (the latest wins); opens the socket when it is not open. */
  readonly update: (text: string) => void
  readonly completion: (offset: number) => Promise<ReadonlyArray<CompletionEntry>>
  /** The hover's text (markdown) at an offset, or undefined. */
  readonly hover: (offset: number) => Promise<string | undefined>
  /** Called with the diagnostics the server published for the text it was last sent, and that text. */
  readonly onDiagnostics: (listener: (diagnostics: ReadonlyArray<EditorDiagnostic>, text: string) => void) => void
  /** Called when the socket opens (true) and when it fails or closes (false). */
  readonly onLive: (listener: (live: boolean) => void) => void
  /** Opens the socket now (as after a new API key), forgetting earlier failures. */
  readonly reconnect: () => void
}

const URI = "inmemory://dashboard/pipeline.cst"
const TIMEOUT_MS = 5_000
const FIRST_RETRY_MS = 2_000
const LAST_RETRY_MS = 60_000

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
}

interface Message {
  readonly id?: unknown
  readonly method?: unknown
  readonly params?: unknown
  readonly result?: unknown
  readonly error?: { readonly message?: unknown }
}

/** Line and character (UTF-16) of an offset. */
const positionOf = (text: string, offset: number) => {
  const before = text.slice(0, offset)
  const line = before.split("\n").length - 1
  return { line, character: offset - (before.lastIndexOf("\n") + 1) }
}

const parse = (data: unknown): Message | undefined => {
  try {
    const message: unknown = JSON.parse(String(data))
    return typeof message === "object" && message !== null ? message : undefined
  } catch {
    return undefined
  }
}

export const makeLanguageClient = (headers: () => Record<string, string>): LanguageClient => {
  let socket: WebSocket | undefined
  let ready: Promise<WebSocket> | undefined
  let nextId = 1
  let version = 0
  let text = ""
  /** The text of the last version sent, which published diagnostics are about. */
  let sent = { version: 0, text: "" }
  let opened = false
  let live = false
  let failures = 0
  let retryAt = 0
  const pending = new Map<number, Pending>()
  const diagnosticsListeners: Array<(diagnostics: ReadonlyArray<EditorDiagnostic>, text: string) => void> = []
  const liveListeners: Array<(live: boolean) => void> = []

  const send = (ws: WebSocket, message: Record<string, unknown>) => ws.send(JSON.stringify({ jsonrpc: "2.0", ...message }))

  const setLive = (next: boolean) => {
    if (next === live) return
    live = next
    for (const l of liveListeners) l(next)
  }

  const sync = (ws: WebSocket) => {
    version++
    sent = { version, text }
    if (!opened) {
      opened = true
      send(ws, { method: "textDocument/didOpen", params: { textDocument: { uri: URI, languageId: "constellation", version, text } } })
    } else {
      send(ws, { method: "textDocument/didChange", params: { textDocument: { uri: URI, version }, contentChanges: [{ text }] } })
    }
  }

  const onMessage = (message: Message) => {
    if (message.method === "textDocument/publishDiagnostics") {
      const published = decodePublishDiagnostics(message.params)
      // Diagnostics of an older version are about a text the editor no longer holds.
      if (published === undefined || published.uri !== URI || published.version !== sent.version) return
      const diagnostics = editorDiagnostics(published, URI)
      for (const l of diagnosticsListeners) l(diagnostics, sent.text)
      return
    }
    if (typeof message.id !== "number") return
    const waiting = pending.get(message.id)
    pending.delete(message.id)
    if (message.error !== undefined) waiting?.reject(new Error(String(message.error.message)))
    else waiting?.resolve(message.result)
  }

  const connect = (): Promise<WebSocket> => {
    if (ready !== undefined && socket !== undefined && socket.readyState <= WebSocket.OPEN) return ready
    if (Date.now() < retryAt) return Promise.reject(new Error("the language server is not reachable"))
    const key = /^Bearer (.+)$/.exec(headers()["authorization"] ?? "")?.[1]
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/lsp`
    const ws = key === undefined ? new WebSocket(url) : new WebSocket(url, ["constellation", `bearer.${key}`])
    socket = ws
    opened = false
    ws.addEventListener("message", (event) => {
      const message = parse(event.data)
      if (message !== undefined) onMessage(message)
    })
    ws.addEventListener("close", () => {
      if (socket !== ws) return
      for (const p of pending.values()) p.reject(new Error("the language server's socket closed"))
      pending.clear()
      ready = undefined
      socket = undefined
      failures++
      retryAt = Date.now() + Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1))
      setLive(false)
    })
    ready = new Promise<WebSocket>((resolve, reject) => {
      ws.addEventListener("open", () => {
        failures = 0
        send(ws, { id: nextId++, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } })
        send(ws, { method: "initialized", params: {} })
        sync(ws)
        setLive(true)
        resolve(ws)
      })
      ws.addEventListener("error", () => reject(new Error("the language server is not reachable")))
    })
    ready.catch(() => {})
    return ready
  }

  const request = async (method: string, offset: number): Promise<unknown> => {
    const ws = await connect()
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      setTimeout(() => {
        if (pending.delete(id)) reject(new Error(`${method} took longer than ${TIMEOUT_MS} ms`))
      }, TIMEOUT_MS)
      send(ws, { id, method, params: { textDocument: { uri: URI }, position: positionOf(text, offset) } })
    })
  }

  return {
    update: (next) => {
      if (next === text && opened) return
      text = next
      if (socket?.readyState === WebSocket.OPEN) sync(socket)
      else void connect().catch(() => {})
    },
    completion: async (offset) => {
      const result = await request("textDocument/completion", offset)
      const items = Array.isArray(result) ? result : (result as { items?: unknown } | null)?.items
      return Array.isArray(items) ? (items as ReadonlyArray<CompletionEntry>) : []
    },
    hover: async (offset) => {
      const result = (await request("textDocument/hover", offset)) as { contents?: { value?: unknown } } | null
      const value = result?.contents?.value
      return typeof value === "string" ? value : undefined
    },
    onDiagnostics: (listener) => diagnosticsListeners.push(listener),
    onLive: (listener) => liveListeners.push(listener),
    reconnect: () => {
      failures = 0
      retryAt = 0
      if (socket === undefined) void connect().catch(() => {})
    }
  }
}
