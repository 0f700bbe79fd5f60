/**
 * The language client's transport to a server's `GET /lsp`: a WebSocket
 * carrying one JSON-RPC message per text frame, as the language client's
 * message reader and writer. The API key goes as the subprotocol
 * `bearer.<key>` (what browsers can send too).
 */
import { AbstractMessageReader, AbstractMessageWriter, Disposable } from "vscode-jsonrpc"
import type { DataCallback, Message, MessageReader, MessageWriter } from "vscode-jsonrpc"
import WebSocket from "ws"

/** `http://host:8080/` to `ws://host:8080/lsp` (`https` to `wss`). */
export const lspSocketUrl = (serverUrl: string): string =>
  `${serverUrl.trim().replace(/^http(s?):\/\//i, "ws$1://").replace(/\/+$/, "")}/lsp`

class SocketReader extends AbstractMessageReader implements MessageReader {
  constructor(private readonly socket: WebSocket) {
    super()
    socket.on("close", () => this.fireClose())
    socket.on("error", (error) => this.fireError(error))
  }

  listen(callback: DataCallback): Disposable {
    const onMessage = (data: WebSocket.RawData) => {
      try {
        callback(JSON.parse(String(data)) as Message)
      } catch (error) {
        this.fireError(error)
      }
    }
    this.socket.on("message", onMessage)
    return Disposable.create(() => this.socket.off("message", onMessage))
  }
}

class SocketWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0

  constructor(private readonly socket: WebSocket) {
    super()
  }

  write(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(JSON.stringify(message), (error) => {
        if (error === undefined || error === null) return resolve()
        this.fireError(error, message, ++this.errors)
        reject(error)
      })
    })
  }

  end(): void {
    this.socket.close(1000)
  }
}

export interface SocketTransports {
  readonly reader: MessageReader
  readonly writer: MessageWriter
  readonly socket: WebSocket
}

/** Opens the socket; rejects with the server's reason when the upgrade is refused (a 401 without a key, say). */
export const connectWebSocketTransports = (serverUrl: string, apiKey = ""): Promise<SocketTransports> =>
  new Promise((resolve, reject) => {
    const protocols = apiKey === "" ? [] : ["constellation", `bearer.${apiKey}`]
    const socket = new WebSocket(lspSocketUrl(serverUrl), protocols)
    socket.once("open", () => resolve({ reader: new SocketReader(socket), writer: new SocketWriter(socket), socket }))
    socket.once("unexpected-response", (_request, response) => {
      reject(new Error(`${lspSocketUrl(serverUrl)} refused the connection: HTTP ${response.statusCode}${response.statusCode === 401 || response.statusCode === 403 ? " (set constellation.server.apiKey)" : ""}`))
      socket.terminate()
    })
    socket.once("error", (error) => reject(new Error(`cannot connect to ${lspSocketUrl(serverUrl)}: ${error.message}`)))
  })
