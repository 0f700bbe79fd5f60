/**
 * An output named `__proto__` (a legal name) arrives as an ordinary output
 * through every way of reading an execution: the library's batch result and
 * `Stream`, HTTP batch, SSE and WebSocket, the Promise client (batch, SSE,
 * its folded result, WebSocket) and the Effect client (batch, SSE,
 * WebSocket). Every fold keeps it as an own field, never a prototype.
 */
import { FetchHttpClient } from "@effect/platform"
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import { Chunk, Effect, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { createClient } from "../../src/client/ConstellationClient.js"
import { ConstellationHttpClient } from "../../src/client/ConstellationHttpClient.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"
import * as Constellation from "../../src/runtime/layers.js"
import { Compiler } from "../../src/lang/Compiler.js"
import { Engine } from "../../src/runtime/Engine.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { post, readAll } from "../http/support/sse.js"

const source = "in text: String\n__proto__ = Uppercase(text)\nout __proto__\nout text\n"
const request = { source, inputs: { text: "hi" } }

/** `record` has `__proto__` as an own field worth "HI", and an ordinary prototype. */
const holdsProto = (record: unknown): void => {
  expect(Object.prototype.hasOwnProperty.call(record, "__proto__")).toBe(true)
  expect(Object.getOwnPropertyDescriptor(record, "__proto__")?.value).toBe("HI")
  expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
}

const outputNames = (events: ReadonlyArray<StreamEvent>) =>
  events.flatMap((e) => (e.event === "output" || e.event === "complete" ? [[e.data.name, e.data.value]] : []))

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("an output named __proto__", () => {
  it("the library: the batch result and the Stream", async () => {
    const program = Effect.gen(function*() {
      const pipeline = yield* (yield* Compiler).compile(source)
      const engine = yield* Engine
      const batch = yield* engine.run(pipeline, { text: "hi" })
      const streamed = yield* Stream.runCollect(yield* engine.runStreaming(pipeline, { text: "hi" }))
      return { batch, streamed: Chunk.toReadonlyArray(streamed) }
    })
    const { batch, streamed } = await Effect.runPromise(program.pipe(Effect.provide(Constellation.layer())))
    holdsProto(batch.outputs)
    expect(batch.outputStatus["__proto__"]).toBe("succeeded")
    expect(streamed.flatMap((e) => (e._tag === "Output" ? [e.name] : []))).toContain("__proto__")
  })

  it("HTTP: the batch answer, the SSE stream and the WebSocket frames", async () => {
    const batch = await fetch(`${server.url}/execute`, post(request))
    const body: unknown = await batch.json()
    holdsProto((body as { outputs: unknown }).outputs)

    const { events } = await readAll(await fetch(`${server.url}/execute/stream`, post(request)))
    expect(events.filter((e) => e.data["name"] === "__proto__").map((e) => e.data["value"])).toEqual(["HI"])

    const ws = new WebSocket(`${server.wsUrl}/execute/ws`)
    const frames: Array<Record<string, unknown>> = []
    await new Promise<void>((resolve, reject) => {
      ws.on("open", () => ws.send(JSON.stringify({ type: "execute", id: "p", ...request })))
      ws.on("message", (data: Buffer) => {
        const frame = JSON.parse(data.toString("utf8")) as Record<string, unknown>
        frames.push(frame)
        if (frame["isFinal"] === true) resolve()
      })
      ws.on("error", reject)
    })
    ws.close()
    expect(frames.filter((f) => f["name"] === "__proto__").map((f) => f["value"])).toEqual(["HI"])
  })

  it("the Promise client: batch, SSE, the folded result, WebSocket", async () => {
    const client = createClient({ baseUrl: server.url })
    holdsProto((await client.execute(request)).outputs)

    const streamed: Array<StreamEvent> = []
    for await (const e of client.stream(request)) streamed.push(e)
    expect(outputNames(streamed)).toContainEqual(["__proto__", "HI"])

    let folded: unknown
    await client.subscribe(request, { onComplete: (result) => (folded = result) })
    holdsProto((folded as { outputs: unknown }).outputs)
    expect((folded as { status: string }).status).toBe("completed")

    const socket = await client.connect({ WebSocket })
    const overSocket: Array<StreamEvent> = []
    for await (const e of socket.stream(request)) overSocket.push(e)
    socket.close()
    expect(outputNames(overSocket)).toContainEqual(["__proto__", "HI"])
  })

  it("the Effect client: batch, SSE, WebSocket", async () => {
    const program = Effect.gen(function*() {
      const client = yield* ConstellationHttpClient
      const batch = yield* client.execute(request)
      const streamed = yield* Stream.runCollect(client.stream(request))
      const overSocket = yield* Effect.scoped(Effect.flatMap(client.connect(), (socket) => Stream.runCollect(socket.stream(request))))
      return { batch, streamed: Chunk.toReadonlyArray(streamed), overSocket: Chunk.toReadonlyArray(overSocket) }
    })
    const { batch, streamed, overSocket } = await Effect.runPromise(program.pipe(
      Effect.provide(ConstellationHttpClient.layer({ baseUrl: server.url })),
      Effect.provide(FetchHttpClient.layer),
      Effect.provide(NodeSocket.layerWebSocketConstructor)
    ))
    holdsProto(batch.outputs)
    expect(outputNames(streamed)).toContainEqual(["__proto__", "HI"])
    expect(outputNames(overSocket)).toContainEqual(["__proto__", "HI"])
  })
})
