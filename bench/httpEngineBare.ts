/**
 * What serving the execute routes outside `@effect/platform` would give
 * (issue 15's open decision), in a child process of bench/http: the
 * engine's services (`servicesLayer`: executions, admission, retention,
 * metrics) behind a bare `node:http` server. Not shipped and not a
 * server to use: no router, no middleware (request ids, CORS, access,
 * limits, tracing), no error answers beyond a status.
 *
 * - `POST /execute/stream`: the body decoded as the service decodes it
 *   (`ExecuteRequest`), the execution prepared in one Effect run, then its
 *   log read into the service's own `EventStream`, written straight into
 *   the Node response (the code `POST /execute/stream` runs).
 * - `POST /execute`: `executions.batch` in one Effect run, answered as JSON.
 * - `POST /compile`: `{ ref }` of `{ source }`, for the other two to name.
 */
import { Effect, Layer, ManagedRuntime, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { createServer } from "node:http"
import { ExecuteRequest } from "../src/protocol/api.js"
import { Executions } from "../src/http/executions/Executions.js"
import { Retained } from "../src/http/executions/Retained.js"
import { Pipelines } from "../src/http/executions/Pipelines.js"
import { Metrics } from "../src/http/ops/Metrics.js"
import { configLayer, servicesLayer } from "../src/http/server/server.js"
import { ServerConfig } from "../src/http/server/ServerConfig.js"
import { launch, streamHeaders } from "../src/http/sse/eventStreamResponse.js"
import { serveControl } from "./httpProcess.js"
import { readJson } from "./readJson.js"

const runtime = ManagedRuntime.make(servicesLayer.pipe(Layer.provideMerge(configLayer)))
const { executions, pipelines, retained, metrics, heartbeatIntervalMs } = await runtime.runPromise(Effect.all({
  executions: Executions,
  pipelines: Pipelines,
  retained: Retained,
  metrics: Metrics,
  heartbeatIntervalMs: Effect.map(ServerConfig, (c) => c.heartbeatIntervalMs)
}))
const decode = Schema.decodeUnknownEither(ExecuteRequest)

const server = createServer((req, res) => {
  readJson(req).then(async (json) => {
    if (req.url === "/compile") {
      const source = (json as { readonly source: string }).source
      const pipeline = await runtime.runPromise(pipelines.compileShared(source))
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ref: pipeline.ref }))
    }
    const request = decode(json)
    if (request._tag === "Left") return void res.writeHead(400).end()
    if (req.method === "POST" && req.url === "/execute/stream") {
      const handle = await runtime.runPromise(Effect.uninterruptible(executions.prepare(request.right, "stream")))
      const stream = launch(handle, { heartbeatIntervalMs, metrics }, retained)
      stream.open(res)
      res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": randomUUID(), ...streamHeaders(handle.executionId) })
      stream.attach(res)
    } else if (req.method === "POST" && req.url === "/execute") {
      const result = await runtime.runPromise(executions.batch(request.right))
      const payload = JSON.stringify(result)
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(payload),
        "x-execution-id": result.executionId,
        "x-request-id": randomUUID()
      })
      res.end(payload)
    } else res.writeHead(404).end()
  }).catch(() => {
    if (!res.headersSent) res.writeHead(400)
    res.end()
  })
})

server.listen(Number(process.env["PORT"] ?? 0), process.env["HOST"] ?? "127.0.0.1", () => {
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("expected a TCP address")
  serveControl(address.port, () => new Promise<void>((r) => server.close(() => r(runtime.dispose()))))
})
