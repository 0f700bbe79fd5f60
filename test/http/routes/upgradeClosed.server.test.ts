/**
 * A WebSocket upgrade whose client has already closed its side of the
 * connection by the time the route runs the socket (a tab closed while the
 * language server was loading, say). The platform completes the handshake
 * in a step that cannot be interrupted, and the WebSocket library drops a
 * handshake on a half-closed connection without calling back: before
 * `upgradeChecked` checked the connection, the request's fiber waited
 * forever and the server's shutdown with it. A real server on 127.0.0.1 and
 * a raw TCP client.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import { createServer, IncomingMessage } from "node:http"
import { connect } from "node:net"
import { describe, expect, it } from "vitest"
import { upgradeChecked } from "../../../src/http/routes/websocket.js"

/** Resolves with `value`, or with "timed out" after `ms`. */
const within = <A>(promise: Promise<A>, ms: number): Promise<A | "timed out"> =>
  Promise.race([promise, new Promise<"timed out">((resolve) => setTimeout(() => resolve("timed out"), ms).unref())])

describe("a WebSocket upgrade the client has half-closed", () => {
  it("fails to run (1006) instead of waiting forever, and the server still shuts down", async () => {
    const outcomes: Array<Exit.Exit<void, unknown>> = []
    let reported: () => void = () => {}
    const outcome = new Promise<void>((resolve) => (reported = resolve))
    const route = HttpLayerRouter.route("GET", "/ws", Effect.gen(function*() {
      const socket = yield* upgradeChecked("a WebSocket endpoint")
      const incoming: unknown = NodeHttpServerRequest.toIncomingMessage(yield* HttpServerRequest.HttpServerRequest)
      const connection = incoming instanceof IncomingMessage ? incoming.socket : undefined
      if (connection === undefined) return yield* Effect.die("not a Node request")
      // Busy until the client's FIN has arrived (the route of GET /lsp loads the language server here).
      yield* Effect.async<void>((resume) => {
        if (connection.readableEnded) return resume(Effect.void)
        connection.once("end", () => resume(Effect.void))
        connection.resume()
      })
      const exit = yield* Effect.exit(socket.runRaw(() => {}))
      outcomes.push(exit)
      reported()
      return HttpServerResponse.empty()
    }))
    const runtime = ManagedRuntime.make(
      HttpLayerRouter.serve(HttpLayerRouter.use((router) => router.addAll([route])), { disableLogger: true, disableListenLog: true })
        .pipe(Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })))
    )
    const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
    if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")

    const client = connect(address.port, "127.0.0.1")
    client.on("error", () => {})
    client.write([
      "GET /ws HTTP/1.1",
      `Host: 127.0.0.1:${address.port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
      "",
      ""
    ].join("\r\n"))
    // Half-closes: the server reads the end of the request, its side stays writable.
    client.end()

    expect(await within(outcome, 10_000)).toBeUndefined()
    expect(outcomes).toHaveLength(1)
    const exit = outcomes[0]!
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) expect(Cause.squash(exit.cause)).toMatchObject({ reason: "Close", code: 1006 })
    // The request's fiber has ended, so the server closes.
    expect(await within(runtime.dispose(), 10_000)).toBeUndefined()
    client.destroy()
  }, 30_000)
})
