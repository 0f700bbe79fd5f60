/**
 * `GET /lsp`: the language server over a WebSocket of the HTTP service,
 * driven by a real `ws` client sending one JSON-RPC message per text
 * frame: initialize, diagnostics, completion with the server's modules,
 * malformed messages, `exit`, and the API-key check.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"

type Message = { readonly id?: number | string | null; readonly method?: string; readonly params?: unknown; readonly result?: unknown; readonly error?: { code: number; message: string } }

const connect = async (url: string, protocols?: Array<string>) => {
  const ws = new WebSocket(url, protocols)
  const messages: Array<Message> = []
  const waiters: Array<() => void> = []
  ws.on("message", (data) => {
    messages.push(JSON.parse(String(data)) as Message)
    for (const w of waiters.splice(0)) w()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve())
    ws.once("error", reject)
  })
  const until = async (p: (m: Message) => boolean, ms = 5_000): Promise<Message> => {
    const deadline = performance.now() + ms
    while (performance.now() < deadline) {
      const found = messages.find(p)
      if (found !== undefined) return found
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
    throw new Error(`no matching message within ${ms} ms; got ${JSON.stringify(messages)}`)
  }
  let nextId = 1
  const request = async (method: string, params: unknown): Promise<Message> => {
    const id = nextId++
    ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }))
    return until((m) => m.id === id)
  }
  const notify = (method: string, params: unknown) => ws.send(JSON.stringify({ jsonrpc: "2.0", method, params }))
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)))
  return { ws, messages, until, request, notify, closed }
}

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("GET /lsp", () => {
  it("serves the language: initialize, diagnostics of an opened document, completion with the server's modules", async () => {
    const c = await connect(`${server.wsUrl}/lsp`)
    const init = await c.request("initialize", { processId: 1, rootUri: null, capabilities: {} })
    expect(init.result).toMatchObject({ capabilities: { hoverProvider: true }, serverInfo: { name: "constellation-lsp" } })
    c.notify("initialized", {})
    const uri = "inmemory://dashboard/pipeline.cst"
    c.notify("textDocument/didOpen", { textDocument: { uri, languageId: "constellation", version: 1, text: "in t: String\nu = Upercase(t)\nout u\n" } })
    const published = await c.until((m) => m.method === "textDocument/publishDiagnostics")
    expect(published.params).toMatchObject({ uri, version: 1, diagnostics: [{ code: "E400", range: { start: { line: 1, character: 4 }, end: { line: 1, character: 12 } } }] })
    const completion = await c.request("textDocument/completion", { textDocument: { uri }, position: { line: 1, character: 4 } })
    const labels = (completion.result as Array<{ label: string }>).map((i) => i.label)
    expect(labels).toEqual(expect.arrayContaining(["Uppercase", "FlakyService", "t"]))
    const hover = await c.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 3 } })
    expect(JSON.stringify(hover.result)).toContain("(input) t: String")
    c.ws.close()
    await c.closed
  })

  it("answers a frame that is not JSON-RPC with an error and goes on serving", async () => {
    const c = await connect(`${server.wsUrl}/lsp`)
    c.ws.send("{not json")
    expect((await c.until((m) => m.error?.code === -32700)).error?.message).toContain("not JSON")
    c.ws.send(JSON.stringify({ id: 7, method: "initialize" }))
    expect(await c.until((m) => m.id === 7)).toMatchObject({ error: { code: -32600 } })
    const init = await c.request("initialize", { processId: null, rootUri: null, capabilities: {} })
    expect(init.result).toBeDefined()
    c.ws.close()
    await c.closed
  })

  it("closes the socket on exit, and the server keeps running", async () => {
    const c = await connect(`${server.wsUrl}/lsp`)
    await c.request("initialize", { processId: 999_999_999, rootUri: null, capabilities: {} })
    await c.request("shutdown", null)
    c.notify("exit", null)
    expect(await c.closed).toBe(1000)
    const health = await fetch(`${server.url}/health`)
    expect(health.status).toBe(200)
  })

  it("is refused an upgrade that is not a WebSocket", async () => {
    const response = await fetch(`${server.url}/lsp`)
    expect(response.status).toBe(426)
  })
})

describe("GET /lsp with API keys on", () => {
  let keyed: TestServer
  beforeAll(async () => {
    keyed = await startServer({ API_KEYS: "lsp-key-0123456789abcdef" })
  })
  afterAll(() => keyed.close())

  it("refuses a socket without a key and serves one offering it as a subprotocol", async () => {
    await expect(connect(`${keyed.wsUrl}/lsp`)).rejects.toThrow(/401/)
    await expect(connect(`${keyed.wsUrl}/lsp`, ["constellation", "bearer.wrong-key-0123456789"])).rejects.toThrow(/403/)
    const c = await connect(`${keyed.wsUrl}/lsp`, ["constellation", "bearer.lsp-key-0123456789abcdef"])
    const init = await c.request("initialize", { processId: null, rootUri: null, capabilities: {} })
    expect(init.result).toMatchObject({ serverInfo: { name: "constellation-lsp" } })
    c.ws.close()
    await c.closed
  })
})
