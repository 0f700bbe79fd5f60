/**
 * `GET /execute/ws`: executions over a WebSocket (see `WsSession`).
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Socket from "@effect/platform/Socket"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Effect } from "effect"
import { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import { Executions } from "../executions/Executions.js"
import { Retained } from "../executions/Retained.js"
import { InvalidRequest, MethodNotAllowed, UpgradeRequired } from "../HttpError.js"
import { Lifecycle } from "../server/Lifecycle.js"
import { Limits } from "../server/Limits.js"
import { Metrics } from "../ops/Metrics.js"
import { respond } from "./respond.js"
import { ServerConfig } from "../server/ServerConfig.js"
import { runSession } from "../ws/WsSession.js"

const KEY = /^[+/0-9A-Za-z]{22}==$/
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * What the WebSocket library would refuse in a handshake. It answers those
 * itself, in plain text, and never hands the request back, which would
 * leave the request waiting forever: they are refused here instead.
 */
export const handshakeProblem = (method: string, headers: Readonly<Record<string, string | undefined>>): InvalidRequest | MethodNotAllowed | undefined => {
  if ((headers["upgrade"] ?? "").toLowerCase() !== "websocket") return undefined
  if (method !== "GET") return new MethodNotAllowed({ message: "A WebSocket upgrade is a GET request.", allowed: ["GET"] })
  const invalid = (header: string, message: string) => new InvalidRequest({ message, issues: [{ path: header, message }] })
  if (!KEY.test(headers["sec-websocket-key"] ?? "")) return invalid("sec-websocket-key", "The Sec-WebSocket-Key header is missing or invalid.")
  const version = (headers["sec-websocket-version"] ?? "").trim()
  if (version !== "13" && version !== "8") return invalid("sec-websocket-version", "The Sec-WebSocket-Version header must be 13.")
  const offered = headers["sec-websocket-protocol"]
  if (offered !== undefined) {
    const protocols = offered.split(",").map((p) => p.trim())
    if (!protocols.every((p) => TOKEN.test(p)) || new Set(protocols).size !== protocols.length) {
      return invalid("sec-websocket-protocol", "The Sec-WebSocket-Protocol header is not a list of distinct tokens.")
    }
  }
  return undefined
}

/**
 * The request's WebSocket once its handshake is checked (a malformed one is
 * a 4xx); a request that is not an upgrade is refused with 426 and `refusal`.
 */
export const upgradeChecked = (refusal: string) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const problem = handshakeProblem(request.method, request.headers)
    if (problem !== undefined) return yield* problem
    const socket = yield* Effect.mapError(request.upgrade, () => new UpgradeRequired({ message: refusal }))
    return whileConnected(socket, connectionOf(request))
  })

/** The TCP connection of a request a Node server received. */
const connectionOf = (request: HttpServerRequest.HttpServerRequest): Duplex | undefined => {
  const incoming: unknown = NodeHttpServerRequest.toIncomingMessage(request)
  return incoming instanceof IncomingMessage ? incoming.socket : undefined
}

/**
 * `socket`, failing to run (a close with code 1006) when the client has
 * already closed `connection`. The platform completes the handshake when
 * the socket is first run, in a step that cannot be interrupted, and the
 * WebSocket library drops a handshake on a closed connection without
 * calling back: the request's fiber would wait forever, and the server's
 * shutdown with it. A client that leaves while the route is still busy
 * (loading the language server, say) does exactly that.
 */
const whileConnected = (socket: Socket.Socket, connection: Duplex | undefined): Socket.Socket => {
  if (connection === undefined) return socket
  const closed = () => connection.destroyed || !connection.readable || !connection.writable
  const gone = Effect.fail(new Socket.SocketCloseError({ reason: "Close", code: 1006, closeReason: "the client closed the connection" }))
  return {
    ...socket,
    run: (handler, options) => Effect.suspend(() => closed() ? gone : socket.run(handler, options)),
    runRaw: (handler, options) => Effect.suspend(() => closed() ? gone : socket.runRaw(handler, options))
  }
}

export const routes = Effect.gen(function*() {
  const ctx = {
    executions: yield* Executions,
    retained: yield* Retained,
    lifecycle: yield* Lifecycle,
    metrics: yield* Metrics,
    maxFrameBytes: (yield* Limits).maxBodyBytes,
    heartbeatIntervalMs: (yield* ServerConfig).heartbeatIntervalMs
  }
  return [
    HttpLayerRouter.route(
      "GET",
      "/execute/ws",
      respond(Effect.gen(function*() {
        const socket = yield* upgradeChecked("This endpoint speaks WebSocket: send an Upgrade: websocket request.")
        const request = yield* HttpServerRequest.HttpServerRequest
        yield* ctx.metrics.openStream("websocket")
        yield* runSession(socket, ctx, connectionOf(request))
        return HttpServerResponse.empty()
      }))
    )
  ] as const
})
