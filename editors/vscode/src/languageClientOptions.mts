/**
 * How the language client reaches the server: `constellation lsp --stdio`
 * as a child process, or the configured server's `GET /lsp` WebSocket.
 */
import type { MessageReader, MessageWriter } from "vscode-jsonrpc"
import type { Settings } from "./settings.mjs"
import { connectWebSocketTransports } from "./webSocketTransports.mjs"

/** The language client's `ServerOptions`, in the two shapes this extension uses. */
export type ServerSpec =
  | { readonly command: string; readonly args: Array<string>; readonly transport: 0 }
  | (() => Promise<{ readonly reader: MessageReader; readonly writer: MessageWriter }>)

/** TransportKind.stdio of vscode-languageclient. */
const STDIO = 0

export const serverOptionsFor = (settings: Settings, connect = connectWebSocketTransports): ServerSpec =>
  settings.transport === "server"
    ? () => connect(settings.serverUrl, settings.apiKey)
    : { command: settings.command, args: ["lsp", "--stdio"], transport: STDIO }

/** The documents the client serves: constellation-lang files and unsaved editors. */
export const documentSelector = [
  { scheme: "file", language: "constellation" },
  { scheme: "untitled", language: "constellation" }
]
