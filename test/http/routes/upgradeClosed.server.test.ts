/**
 * A WebSocket upgrade whose client has already closed its side of the
 * connection by the time the route runs the socket (a tab closed while the
 * language server was loading, say). The platform completes the handshake
 * in a step that cannot be interrupted, and the WebSocket library drops a
 * handshake on a half-closed connection without calling back: before
 * `upgradeChecked` checked the connection, the request's fiber waited
 * forever and the server's shutdown with it. And a client that resets the
 * connection in that moment raised an `error` nobody listened to, which
 * ends the process (`watchConnectionErrors`). A real server on 127.0.0.1 and
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
import { watchConnectionErrors } from "../../../src/http/server/connectionErrors.js"

/** Resolves with `value`, or with "timed out" after `ms`. */
const within = <A>(promise: Promise<A>, ms: number): Promise<A | "timed out"> =>
  Promise.race([promise, new Promise<"timed out">((resolve) => setTimeout(() => resolve("timed out"), ms).unref())])

/** The raw bytes of a WebSocket upgrade of `path`. */
const upgradeRequest = (port: number, path: string) => [
  `GET ${path} HTTP/1.1`,
  `Host: 127.0.0.1:${port}`,
  "Upgrade: websocket",
  "Connection: Upgrade",
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
  "Sec-WebSocket-Version: 13",
  "",
  ""
].join("\r\n")

/**
 * A server whose `GET /ws` checks the upgrade, waits until its connection
 * has `until` ("end": the client's FIN arrived; "close": it is gone), then
 * runs the socket and reports how that ended; `GET /ok` answers 200.
 */
const serve = async (until: "end" | "close") => {
  const outcomes: Array<Exit.Exit<void, unknown>> = []
  let reported: () => void = () => {}
  const outcome = new Promise<void>((resolve) => (reported = resolve))
  const ws = HttpLayerRouter.route("GET", "/ws", Effect.gen(function*() {
    const socket = yield* upgradeChecked("a WebSocket endpoint")
    const incoming: unknown = NodeHttpServerRequest.toIncomingMessage(yield* HttpServerRequest.HttpServerRequest)
    const connection = incoming instanceof IncomingMessage ? incoming.socket : undefined
    if (connection === undefined) return yield* Effect.die("not a Node request")
    // Busy until then (the route of GET /lsp loads the language server here).
    yield* Effect.async<void>((resume) => {
      if (until === "end" ? connection.readableEnded : connection.destroyed) return resume(Effect.void)
      connection.once(until, () => resume(Effect.void))
      connection.resume()
    })
    const exit = yield* Effect.exit(socket.runRaw(() => {}))
    outcomes.push(exit)
    reported()
    return HttpServerResponse.empty()
  }))
  const ok = HttpLayerRouter.route("GET", "/ok", Effect.succeed(HttpServerResponse.text("ok")))
  const runtime = ManagedRuntime.make(
    HttpLayerRouter.serve(HttpLayerRouter.use((router) => router.addAll([ws, ok])), { disableLogger: true, disableListenLog: true })
      .pipe(Layer.provideMerge(NodeHttpServer.layer(() => watchConnectionErrors(createServer()), { port: 0, host: "127.0.0.1" })))
  )
  const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  const client = connect(address.port, "127.0.0.1")
  client.on("error", () => {})
  client.write(upgradeRequest(address.port, "/ws"))
  return { port: address.port, client, outcomes, outcome, runtime }
}

describe("a WebSocket upgrade whose client leaves before the handshake", () => {
  it("half-closed: the socket fails to run (1006) instead of waiting forever, and the server still shuts down", async () => {
    const { client, outcomes, outcome, runtime } = await serve("end")
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

  it("reset: no uncaught error; the request ends, the server goes on serving and shuts down", async () => {
    const uncaught: Array<unknown> = []
    const onUncaught = (error: unknown) => void uncaught.push(error)
    process.on("uncaughtException", onUncaught)
    try {
      const { client, port, runtime } = await serve("close")
      await new Promise((resolve) => setTimeout(resolve, 50))
      client.resetAndDestroy()
      await new Promise((resolve) => client.once("close", resolve))
      const answer = await within(fetch(`http://127.0.0.1:${port}/ok`).then((r) => r.text()), 10_000)
      expect(answer).toBe("ok")
      expect(await within(runtime.dispose(), 10_000)).toBeUndefined()
      expect(uncaught).toEqual([])
    } finally {
      process.off("uncaughtException", onUncaught)
    }
  }, 30_000)
})
