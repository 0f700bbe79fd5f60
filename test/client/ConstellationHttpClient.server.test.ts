/**
 * The Effect client against the real server on 127.0.0.1: a `Stream` of
 * typed events in completion order, typed failures in the error channel,
 * and a stream stopped early (`Stream.take`) cancelling the server's work.
 */
import { FetchHttpClient } from "@effect/platform"
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import { Chunk, Effect, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ConstellationHttpClient } from "../../src/client/ConstellationHttpClient.js"
import type { ConstellationSocket } from "../../src/client/ConstellationHttpClient.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"
import { fanOut, hello, partial, quickThenSlow } from "../http/support/pipelines.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { firstFrame, sseHeaders, startFakeServer } from "./fakeServer.js"
import { INTERRUPTED_METRIC, metric, SSE_DISCONNECTS, within } from "./support.js"

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** Runs an effect with the client of the server at `baseUrl` (the real one by default). */
const withClient = <A, E>(effect: Effect.Effect<A, E, ConstellationHttpClient>, baseUrl = server.url): Promise<A> =>
  Effect.runPromise(effect.pipe(
    Effect.provide(ConstellationHttpClient.layer({ baseUrl, headers: { "x-request-id": "effect-client" } })),
    Effect.provide(FetchHttpClient.layer)
  ))

const events = (request: Parameters<ConstellationHttpClient["Type"]["stream"]>[0], options?: { readonly resume: false }) =>
  Stream.unwrap(Effect.map(ConstellationHttpClient, (client) => client.stream(request, options)))

describe("ConstellationHttpClient against a real server", () => {
  it("streams the fan-out's outputs in completion order, the first long before the last", async () => {
    const started = performance.now()
    const seen = await withClient(
      events({ source: fanOut(), inputs: { query: "a b" } }).pipe(
        Stream.map((e) => ({ e, at: performance.now() - started })),
        Stream.runCollect,
        Effect.map(Chunk.toArray)
      )
    )
    expect(seen.map(({ e }) => e.event)).toEqual(["output", "output", "complete"])
    expect(seen.map(({ e }) => ("name" in e.data ? e.data.name : ""))).toEqual(["quick", "medium", "slow"])
    expect(seen[2]!.at - seen[0]!.at).toBeGreaterThan(300)
  })

  it("runs batches, compiles and lists modules", async () => {
    const [batch, compiled, modules] = await withClient(Effect.flatMap(ConstellationHttpClient, (client) =>
      Effect.all([client.execute({ source: partial, inputs: { text: "e" } }), client.compile(hello), client.modules])))
    expect(batch).toMatchObject({ status: "partial", outputs: { ok: "E" } })
    expect(compiled.outputs).toEqual({ upper: "String" })
    expect(modules.modules.length).toBeGreaterThan(10)
  })

  it("fails with typed errors: RequestRejected, ConnectFailed, StreamInterrupted", async () => {
    const rejected = await withClient(Effect.flip(Stream.runDrain(events({ source: "out nothing\n" }))))
    expect(rejected).toMatchObject({ _tag: "RequestRejected", status: 400, code: "compile_error", requestId: "effect-client" })

    const cut = await startFakeServer((response) => {
      response.writeHead(200, sseHeaders)
      response.write(firstFrame, () => setTimeout(() => response.socket?.destroy(), 50))
    })
    const received: Array<StreamEvent> = []
    const interrupted = await withClient(
      Effect.flip(Stream.runForEach(events({ source: hello }), (e) => Effect.sync(() => received.push(e)))),
      cut.url
    )
    await cut.close()
    expect(received.map((e) => e.event)).toEqual(["output"])
    expect(interrupted).toMatchObject({ _tag: "StreamInterrupted", executionId: "x1", received: 1 })

    const unreachable = await withClient(Effect.flip(Effect.flatMap(ConstellationHttpClient, (c) => c.modules)), cut.url)
    expect(unreachable).toMatchObject({ _tag: "ConnectFailed", url: `${cut.url}/modules` })
  })

  it("stopping the stream early closes the connection, and the server interrupts the running module", async () => {
    const before = await metric(server.url, INTERRUPTED_METRIC)
    const disconnects = await metric(server.url, SSE_DISCONNECTS)
    // One connection that holds its execution (resuming, which cancels by request instead: resume.effect.server.test.ts).
    const first = await withClient(events({ source: quickThenSlow, inputs: { text: "x" } }, { resume: false }).pipe(Stream.take(1), Stream.runCollect))
    expect(Chunk.toArray(first)).toEqual([expect.objectContaining({ event: "output" })])
    await within(2_000, async () =>
      (await metric(server.url, INTERRUPTED_METRIC)) > before &&
      (await metric(server.url, SSE_DISCONNECTS)) > disconnects)
  })
})

describe("ConstellationHttpClient.connect: executions over a WebSocket", () => {
  /** Runs `f` with a socket of the client, made by the platform's `ws` constructor (Node 20 has no global WebSocket). */
  const withSocket = <A, E>(f: (socket: ConstellationSocket) => Effect.Effect<A, E>, headers: Record<string, string> = {}, url = server.url) =>
    Effect.runPromise(Effect.scoped(Effect.flatMap(Effect.flatMap(ConstellationHttpClient, (c) => c.connect()), f)).pipe(
      Effect.provide(ConstellationHttpClient.layer({ baseUrl: url, headers })),
      Effect.provide(FetchHttpClient.layer),
      Effect.provide(NodeSocket.layerWebSocketConstructor)
    ))

  it("runs executions at once on one socket, each a Stream of its own events", async () => {
    const [fan, upper] = await withSocket((socket) =>
      Effect.all([
        Stream.runCollect(socket.stream({ source: fanOut(), inputs: { query: "a b" } })),
        Stream.runCollect(socket.stream({ source: hello, inputs: { text: "ws" } }))
      ], { concurrency: "unbounded" }))
    expect(Chunk.toArray(fan).map((e) => ("name" in e.data ? e.data.name : ""))).toEqual(["quick", "medium", "slow"])
    expect(Chunk.toArray(upper)).toEqual([expect.objectContaining({ event: "complete", data: expect.objectContaining({ value: "WS" }) })])
  })

  it("stopping one stream early cancels that execution only; a refusal is RequestRejected", async () => {
    const before = await metric(server.url, INTERRUPTED_METRIC)
    const [first, other, refused] = await withSocket((socket) =>
      Effect.all([
        Stream.runCollect(Stream.take(socket.stream({ source: quickThenSlow, inputs: { text: "a" } }), 1)),
        Stream.runCollect(socket.stream({ source: quickThenSlow, inputs: { text: "b" } })),
        Effect.flip(Stream.runDrain(socket.stream({ source: "out nothing\n", inputs: {} })))
      ], { concurrency: "unbounded" }))
    expect(Chunk.toArray(first).map((e) => e.event)).toEqual(["output"])
    expect(Chunk.toArray(other).map((e) => e.event)).toEqual(["output", "complete"])
    expect(refused).toMatchObject({ _tag: "RequestRejected", status: 0, code: "compile_error" })
    await within(2_000, async () => (await metric(server.url, INTERRUPTED_METRIC)) > before)
  })

  it("takes the API key from the client's bearer header", async () => {
    const secured = await startServer({ API_KEYS: "k1-0123456789abcdef" })
    try {
      const refused = await withSocket(() => Effect.void, {}, secured.url).then(() => undefined, (e: unknown) => e)
      expect(String(refused)).toContain("ConnectFailed")
      const events = await withSocket(
        (socket) => Stream.runCollect(socket.stream({ source: hello, inputs: { text: "key" } })),
        { authorization: "Bearer k1-0123456789abcdef" },
        secured.url
      )
      expect(Chunk.toArray(events)).toEqual([expect.objectContaining({ data: expect.objectContaining({ value: "KEY" }) })])
    } finally {
      await secured.close()
    }
  })
})
