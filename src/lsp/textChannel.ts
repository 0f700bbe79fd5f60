/**
 * The language server on a channel of text messages, one JSON-RPC message
 * each (a WebSocket's text frames), instead of a byte stream with
 * `Content-Length` headers. The connection never ends the process: `exit`
 * and a client's process id, which on stdio would, here only close the
 * channel (the server may have many such clients).
 */
// Installs the JSON-RPC library's Node runtime (timers, message buffers), which the common entry point used below needs.
import "vscode-languageserver/node"
import { AbstractMessageReader, AbstractMessageWriter, createConnection, createProtocolConnection, Disposable, ErrorCodes } from "vscode-languageserver"
import type { DataCallback, Message, MessageReader, MessageWriter } from "vscode-languageserver"
import type { ModuleRegistryShape } from "../modules/ModuleRegistry.js"
import { serveLanguage } from "./LanguageServer.js"

/** Where the server's messages go, and how the channel is closed. */
export interface TextChannel {
  readonly send: (text: string) => void
  /** Closes the channel (after `exit`). */
  readonly close: () => void
}

/** A served channel: hand it each message received, and dispose of it when the channel closes. */
export interface ChannelSession {
  readonly receive: (text: string) => void
  readonly dispose: () => void
}

class ChannelReader extends AbstractMessageReader implements MessageReader {
  private callback: DataCallback | undefined
  private readonly early: Array<Message> = []

  listen(callback: DataCallback): Disposable {
    this.callback = callback
    for (const m of this.early.splice(0)) callback(m)
    return Disposable.create(() => {
      this.callback = undefined
    })
  }

  deliver(message: Message): void {
    if (this.callback === undefined) this.early.push(message)
    else this.callback(message)
  }

  closed(): void {
    this.fireClose()
  }
}

class ChannelWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly channel: TextChannel) {
    super()
  }

  write(message: Message): Promise<void> {
    try {
      this.channel.send(JSON.stringify(message))
      return Promise.resolve()
    } catch (error) {
      this.fireError(error, message, 1)
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  end(): void {}
}

const isMessage = (value: unknown): value is Message =>
  typeof value === "object" && value !== null && !Array.isArray(value) && (value as { jsonrpc?: unknown }).jsonrpc === "2.0"

const idOf = (value: unknown): string | number | null => {
  const id = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined
  return typeof id === "string" || typeof id === "number" ? id : null
}

/** Serves the language on a text channel. */
export const serveChannel = (channel: TextChannel, registry: ModuleRegistryShape): ChannelSession => {
  const reader = new ChannelReader()
  const writer = new ChannelWriter(channel)
  const watchDog = {
    shutdownReceived: false,
    initialize: () => {},
    exit: () => channel.close()
  }
  const connection = createConnection((logger) => createProtocolConnection(reader, writer, logger), watchDog)
  const server = serveLanguage(connection, { registry })
  const refuse = (id: string | number | null, code: number, message: string) =>
    channel.send(JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } }))
  return {
    receive: (text) => {
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        return refuse(null, ErrorCodes.ParseError, "The message is not JSON: send one JSON-RPC 2.0 message per text frame.")
      }
      if (!isMessage(value)) return refuse(idOf(value), ErrorCodes.InvalidRequest, "The message is not a JSON-RPC 2.0 message (no \"jsonrpc\": \"2.0\").")
      reader.deliver(value)
    },
    dispose: () => {
      server.dispose()
      reader.closed()
      connection.dispose()
    }
  }
}
