/**
 * `GET /lsp`: the language server for browser editors, over a WebSocket.
 * Each text frame is one JSON-RPC message (no `Content-Length` framing);
 * the modules are this server's. Behind the same API-key check as every
 * route (a browser offers the key as the subprotocol `bearer.<key>`).
 * The language server and its JSON-RPC library (about 0.5 MB of script)
 * are loaded on the first connection, not at startup.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Socket from "@effect/platform/Socket"
import { Effect, Queue } from "effect"
import { ModuleRegistry } from "../../modules/ModuleRegistry.js"
import { Limits } from "../server/Limits.js"
import { respond } from "./respond.js"
import { upgradeChecked } from "./websocket.js"

/** The path of the route. */
export const LSP_PATH = "/lsp"

type Outgoing = string | Socket.CloseEvent

export const routes = Effect.gen(function*() {
  const registry = yield* ModuleRegistry
  const maxFrameBytes = (yield* Limits).maxBodyBytes
  return [
    HttpLayerRouter.route(
      "GET",
      LSP_PATH,
      respond(Effect.gen(function*() {
        const socket = yield* upgradeChecked(
          "This endpoint speaks the Language Server Protocol over WebSocket: send an Upgrade: websocket request."
        )
        const { serveChannel } = yield* Effect.promise(() => import("../../lsp/textChannel.js"))
        const write = yield* socket.writer
        // The server's messages in order, written by one fiber of the request's scope.
        const outgoing = yield* Queue.unbounded<Outgoing>()
        yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(outgoing), (m) => Effect.ignore(write(m)))))
        const session = serveChannel({
          send: (text) => void Queue.unsafeOffer(outgoing, text),
          close: () => void Queue.unsafeOffer(outgoing, new Socket.CloseEvent(1000, "exit"))
        }, registry)
        yield* Effect.addFinalizer(() => Effect.sync(session.dispose))
        yield* socket.runRaw((data) => {
          const size = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength
          if (size > maxFrameBytes) {
            Queue.unsafeOffer(outgoing, new Socket.CloseEvent(1009, `a message is larger than ${maxFrameBytes} bytes`))
            return
          }
          session.receive(typeof data === "string" ? data : new TextDecoder().decode(data))
        }).pipe(Effect.catchAll(() => Effect.void))
        return HttpServerResponse.empty()
      }))
    )
  ] as const
})
