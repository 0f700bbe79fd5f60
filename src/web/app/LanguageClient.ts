/**
 * The dashboard's client of the language server at `GET /lsp` (a
 * WebSocket, one JSON-RPC message per frame): the editor's text synced
 * whole on each change, completion and hover requested at an offset.
 * The API key goes as the subprotocol `bearer.<key>`. When the socket
 * closes it is opened again on the next request, with the text re-sent.
 */

export interface CompletionEntry {
  readonly label: string
  readonly detail?: string
  readonly insertText?: string
  readonly sortText?: string
  readonly kind?: number
}

export interface LanguageClient {
  /** Tells the server the editor's text (the latest wins). */
  readonly update: (text: string) => void
  readonly completion: (offset: number) => Promise<ReadonlyArray<CompletionEntry>>
  /** The hover's text (markdown) at an offset, or undefined. */
  readonly hover: (offset: number) => Promise<string | undefined>
}

const URI = "inmemory://dashboard/pipeline.cst"
const TIMEOUT_MS = 5_000

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
}

/** Line and character (UTF-16) of an offset. */
const positionOf = (text: string, offset: number) => {
  const before = text.slice(0, offset)
  const line = before.split("\n").length - 1
  return { line, character: offset - (before.lastIndexOf("\n") + 1) }
}

export const makeLanguageClient = (headers: () => Record<string, string>): LanguageClient => {
  let socket: WebSocket | undefined
  let ready: Promise<WebSocket> | undefined
  let nextId = 1
  let version = 0
  let text = ""
  let opened = false
  const pending = new Map<number, Pending>()

  const send = (ws: WebSocket, message: Record<string, unknown>) => ws.send(JSON.stringify({ jsonrpc: "2.0", ...message }))

  const connect = (): Promise<WebSocket> => {
    if (ready !== undefined && socket !== undefined && socket.readyState <= WebSocket.OPEN) return ready
    const key = /^Bearer (.+)$/.exec(headers()["authorization"] ?? "")?.[1]
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/lsp`
    const ws = key === undefined ? new WebSocket(url) : new WebSocket(url, ["constellation", `bearer.${key}`])
    socket = ws
    opened = false
    ws.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } }
      if (typeof message.id !== "number") return
      const waiting = pending.get(message.id)
      pending.delete(message.id)
      if (message.error !== undefined) waiting?.reject(new Error(message.error.message))
      else waiting?.resolve(message.result)
    })
    ws.addEventListener("close", () => {
      for (const p of pending.values()) p.reject(new Error("the language server's socket closed"))
      pending.clear()
      ready = undefined
    })
    ready = new Promise<WebSocket>((resolve, reject) => {
      ws.addEventListener("open", () => {
        send(ws, { id: nextId++, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } })
        send(ws, { method: "initialized", params: {} })
        resolve(ws)
      })
      ws.addEventListener("error", () => reject(new Error("the language server is not reachable")))
    })
    return ready
  }

  const sync = (ws: WebSocket) => {
    version++
    if (!opened) {
      opened = true
      send(ws, { method: "textDocument/didOpen", params: { textDocument: { uri: URI, languageId: "constellation", version, text } } })
    } else {
      send(ws, { method: "textDocument/didChange", params: { textDocument: { uri: URI, version }, contentChanges: [{ text }] } })
    }
  }

  const request = async (method: string, offset: number): Promise<unknown> => {
    const ws = await connect()
    if (!opened) sync(ws)
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
      text = next
      if (socket?.readyState === WebSocket.OPEN) sync(socket)
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
    }
  }
}
