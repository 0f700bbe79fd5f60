/**
 * The platform's own share of bench/http, in a child process: the floor's
 * two endpoints served by `@effect/platform` as the engine's server is
 * (`HttpLayerRouter`, the Node server, logger and tracer off), with no
 * engine behind them.
 *
 * - `POST /execute/stream` reads the JSON body (from the Node request), then
 *   writes the floor's opening comment and three events from plain timers,
 *   the way the engine's SSE route writes (headers in a pre-response
 *   handler, frames straight into the Node response).
 * - `POST /execute` reads the body, uppercases `inputs.text` and answers
 *   the engine's batch JSON shape with `HttpServerResponse.unsafeJson`.
 *
 * What this server spends above the floor, the engine cannot avoid while
 * it serves through the platform.
 */
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Effect, Layer, ManagedRuntime } from "effect"
import { randomUUID } from "node:crypto"
import { createServer, ServerResponse } from "node:http"
import type { IncomingMessage } from "node:http"
import { serveControl } from "./httpProcess.js"

interface Body { readonly inputs?: Readonly<Record<string, unknown>> }

/**
 * The JSON body, read the cheapest way, from the Node request's own events
 * as the floor (and the engine, `src/http/routes/requestBody.ts`) does, not through the
 * platform's body stream, so that only the routing and response path is
 * the platform's.
 */
const body: Effect.Effect<Body, never, HttpServerRequest.HttpServerRequest> = Effect.flatMap(
  HttpServerRequest.HttpServerRequest,
  (request) => {
    const incoming = NodeHttpServerRequest.toIncomingMessage(request) as IncomingMessage
    return Effect.async<Body>((resume) => {
      const chunks: Array<Buffer> = []
      incoming.on("data", (c: Buffer) => chunks.push(c))
      incoming.on("end", () => {
        try {
          resume(Effect.succeed(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body))
        } catch (e) {
          resume(Effect.die(e))
        }
      })
    })
  }
)

const text = (b: Body, key: string): string => String(b.inputs?.[key] ?? "")

const stream = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const query = text(yield* body, "query")
  const node = NodeHttpServerRequest.toServerResponse(request)
  if (!(node instanceof ServerResponse)) return yield* Effect.die("expected a Node response")
  const executionId = randomUUID()
  const plan: Array<[number, string, string, unknown]> = [
    [5, "output", "quick", query.toUpperCase()],
    [50, "output", "medium", query.split(/\s+/).filter((w) => w.length > 0).length],
    [500, "complete", "slow", `slow result for ${query}`]
  ]
  return yield* Effect.as(
    HttpApp.appendPreResponseHandler((_request, response) => {
      node.writeHead(response.status, response.headers)
      node.write(`: execution ${executionId}\n\n`)
      let seq = 0
      const frames = Effect.async<void>((resume) => {
        const timers = plan.map(([ms, event, name, value]) =>
          setTimeout(() => {
            const isFinal = event === "complete"
            const data = { executionId, seq: seq++, name, value, timestamp: Date.now(), isFinal, fromFallback: false }
            node.write(`event: ${event}\nid: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
            if (isFinal) {
              node.end()
              resume(Effect.void)
            }
          }, ms))
        return Effect.sync(() => timers.forEach(clearTimeout))
      })
      return Effect.as(frames, response)
    }),
    HttpServerResponse.empty({
      status: 200,
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
        "x-execution-id": executionId,
        "x-request-id": randomUUID()
      }
    })
  )
})

const batch = Effect.map(body, (b) => {
  const started = performance.now()
  const executionId = randomUUID()
  return HttpServerResponse.unsafeJson({
    executionId,
    status: "completed",
    outputs: { upper: text(b, "text").toUpperCase() },
    errors: {},
    outputStatus: { upper: "succeeded" },
    durationMs: performance.now() - started
  }, { headers: { "x-execution-id": executionId, "x-request-id": randomUUID() } })
})

const routes = Layer.mergeAll(HttpLayerRouter.add("POST", "/execute/stream", stream), HttpLayerRouter.add("POST", "/execute", batch))
const host = process.env["HOST"] ?? "127.0.0.1"
const port = Number(process.env["PORT"] ?? 0)
const layer = HttpMiddleware.withTracerDisabledWhen(
  HttpLayerRouter.serve(routes, { disableLogger: true, disableListenLog: true }),
  () => true
).pipe(Layer.provideMerge(NodeHttpServer.layer(createServer, { port, host })))

const runtime = ManagedRuntime.make(layer)
const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
serveControl(address.port, () => runtime.dispose())
