/**
 * The extension's transport to a server's `GET /lsp`, driven by
 * vscode-jsonrpc's message connection (what the language client runs on):
 * initialize, diagnostics of an opened document, and the refusal without
 * an API key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createMessageConnection } from "vscode-jsonrpc/node"
import type { InitializeResult, PublishDiagnosticsParams } from "vscode-languageserver-protocol"
import { connectWebSocketTransports, lspSocketUrl } from "../../../editors/vscode/src/webSocketTransports.mjs"
import { startServer } from "../../http/support/server.js"
import type { TestServer } from "../../http/support/server.js"

let server: TestServer
let keyed: TestServer
beforeAll(async () => {
  server = await startServer()
  keyed = await startServer({ API_KEYS: "vsix-key-0123456789abcdef" })
})
afterAll(async () => {
  await server.close()
  await keyed.close()
})

describe("the WebSocket transport", () => {
  it("maps a server URL to its /lsp socket", () => {
    expect(lspSocketUrl("http://127.0.0.1:8080/")).toBe("ws://127.0.0.1:8080/lsp")
    expect(lspSocketUrl("https://pipelines.example")).toBe("wss://pipelines.example/lsp")
  })

  it("carries a language client's session: initialize, open, diagnostics", async () => {
    const { reader, writer, socket } = await connectWebSocketTransports(server.url)
    const connection = createMessageConnection(reader, writer)
    const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification("textDocument/publishDiagnostics", resolve))
    connection.listen()
    const init = await connection.sendRequest<InitializeResult>("initialize", { processId: null, rootUri: null, capabilities: {} })
    expect(init.capabilities.hoverProvider).toBe(true)
    await connection.sendNotification("initialized", {})
    await connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri: "file:///w/a.cst", languageId: "constellation", version: 1, text: "in a: Int\nout b\n" }
    })
    const diagnostics = await published
    expect(diagnostics.diagnostics.map((d) => d.code)).toEqual(["E203"])
    const closed = new Promise<number>((resolve) => socket.once("close", resolve))
    connection.dispose()
    socket.close(1000)
    expect(await closed).toBe(1000)
  })

  it("says why a server with API keys refuses it, and connects with the key", async () => {
    await expect(connectWebSocketTransports(keyed.url)).rejects.toThrow(/HTTP 401 \(set constellation.server.apiKey\)/)
    const { socket } = await connectWebSocketTransports(keyed.url, "vsix-key-0123456789abcdef")
    socket.close()
  })

  it("says when nothing listens", async () => {
    await expect(connectWebSocketTransports("http://127.0.0.1:9")).rejects.toThrow(/cannot connect to ws:\/\/127.0.0.1:9\/lsp/)
  })
})
