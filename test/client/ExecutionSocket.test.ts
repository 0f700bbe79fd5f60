/**
 * The client's WebSocket (`client.connect()`) against a real server on
 * 127.0.0.1, with the `ws` package as the WebSocket class (Node 20 has no
 * global one): concurrent executions on one socket, cancelling one by
 * leaving its loop, refusals as `RequestRejected`, closing the socket,
 * aborting, and the API key as a subprotocol.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket, { WebSocketServer } from "ws"
import { Aborted, ConnectFailed, createClient, RequestRejected, StreamInterrupted } from "../../src/client/index.js"
import type { ExecutionSocket, StreamEvent } from "../../src/client/index.js"
import { fanOut, hello, partial, quickThenSlow, slow } from "../http/support/pipelines.js"
import { startServer } from "../http/support/server.js"
import { metric } from "./support.js"
import type { TestServer } from "../http/support/server.js"

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const connect = (s: TestServer = server, apiKey?: string) => createClient({ baseUrl: s.url }).connect({ WebSocket, apiKey })

const collect = async (events: AsyncIterable<StreamEvent>): Promise<Array<StreamEvent>> => {
  const out: Array<StreamEvent> = []
  for await (const e of events) out.push(e)
  return out
}

const failureOf = async (events: AsyncIterable<StreamEvent>): Promise<unknown> => {
  try {
    await collect(events)
  } catch (error) {
    return error
  }
  throw new Error("the iteration ended without an error")
}

const cancelled = "constellation_executions_total{mode=\"websocket\",status=\"cancelled\"}"
/** The number of WebSocket executions counted cancelled so far. */
const cancelledCount = () => metric(server.url, cancelled, 0)


describe("client.connect: executions over a WebSocket", () => {
  let socket: ExecutionSocket
  beforeAll(async () => {
    socket = await connect()
  })
  afterAll(() => socket.close())

  it("runs executions at once on one socket, each iteration with its own events in order, ending after the final one", async () => {
    const [a, b, c] = await Promise.all([
      collect(socket.stream({ source: fanOut(), inputs: { query: "Hello World" } })),
      collect(socket.stream({ source: hello, inputs: { text: "hi" } })),
      collect(socket.stream({ source: partial, inputs: { text: "x" } }))
    ])
    expect(a.map((e) => [e.event, "name" in e.data ? e.data.name : undefined])).toEqual([
      ["output", "quick"], ["output", "medium"], ["complete", "slow"]
    ])
    expect(a.map((e) => e.data.seq)).toEqual([0, 1, 2])
    expect(new Set(a.map((e) => e.data.executionId)).size).toBe(1)
    expect(b).toHaveLength(1)
    expect(b[0]).toMatchObject({ event: "complete", data: { name: "upper", value: "HI", isFinal: true } })
    // One output succeeds, the other fails; whichever comes last is final.
    expect(c.map((e) => e.event).sort()).toEqual(["error", "output"].sort())
    expect(c.map((e) => "isFinal" in e.data && e.data.isFinal)).toEqual([false, true])
  })

  it("leaving the loop early cancels that execution only; the socket goes on", async () => {
    const before = await cancelledCount()
    const other = collect(socket.stream({ source: quickThenSlow, inputs: { text: "b" } }))
    for await (const e of socket.stream({ source: quickThenSlow, inputs: { text: "a" } })) {
      expect(e).toMatchObject({ event: "output", data: { name: "first", value: "A" } })
      break
    }
    await expect.poll(() => cancelledCount(), { timeout: 3_000 }).toBe(before + 1)
    expect((await other).map((e) => e.event)).toEqual(["output", "complete"])
    expect(await collect(socket.stream({ source: hello, inputs: { text: "again" } }))).toHaveLength(1)
  })

  it("a request the server refuses is RequestRejected, with the server's details", async () => {
    const error = await failureOf(socket.stream({ source: "out nope", inputs: {} }))
    expect(error).toBeInstanceOf(RequestRejected)
    expect(error).toMatchObject({ status: 0, code: "compile_error" })
    expect((error as RequestRejected).body["diagnostics"]).toEqual(expect.arrayContaining([expect.objectContaining({ code: expect.any(String) })]))
    const inputs = await failureOf(socket.stream({ source: hello, inputs: { text: 3 } }))
    expect(inputs).toMatchObject({ _tag: "RequestRejected", code: "invalid_inputs" })
  })

  it("an id may not be reused while its execution runs", async () => {
    const first = socket.stream({ id: "same", source: slow, inputs: { text: "x" } })
    const running = first.next()
    const error = await failureOf(socket.stream({ id: "same", source: hello, inputs: { text: "x" } }))
    expect(error).toMatchObject({ _tag: "RequestRejected", code: "duplicate_id" })
    await first.return?.(undefined)
    await running
  })

  it("aborting the signal cancels the execution and throws Aborted", async () => {
    const before = await cancelledCount()
    const controller = new AbortController()
    const events = socket.stream({ source: slow, inputs: { text: "x" } }, { signal: controller.signal })
    const failure = failureOf(events)
    setTimeout(() => controller.abort("stop"), 50)
    const error = await failure
    expect(error).toBeInstanceOf(Aborted)
    await expect.poll(() => cancelledCount(), { timeout: 3_000 }).toBe(before + 1)
  })
})

describe("cancelling without pulling", () => {
  it("aborting while the loop is not waiting for an event still cancels the execution at once", async () => {
    const socket = await connect()
    try {
      const before = await cancelledCount()
      const controller = new AbortController()
      const events = socket.stream({ source: quickThenSlow, inputs: { text: "x" } }, { signal: controller.signal })
      expect((await events.next()).value).toMatchObject({ event: "output" })
      // Not pulling: the generator rests at its yield.
      controller.abort()
      await expect.poll(() => cancelledCount(), { timeout: 3_000 }).toBe(before + 1)
      await expect(events.next()).rejects.toBeInstanceOf(Aborted)
    } finally {
      socket.close()
    }
  })
})

describe("the socket itself", () => {
  it("closing it ends the iterations still running with StreamInterrupted; the server cancels them", async () => {
    const socket = await connect()
    const before = await cancelledCount()
    const events = socket.stream({ source: quickThenSlow, inputs: { text: "x" } })
    const first = await events.next()
    expect(first.value).toMatchObject({ event: "output", data: { name: "first" } })
    socket.close()
    const error = await failureOf(events)
    expect(error).toBeInstanceOf(StreamInterrupted)
    expect(error).toMatchObject({ received: 1 })
    await expect.poll(() => cancelledCount(), { timeout: 3_000 }).toBe(before + 1)
    expect(await failureOf(socket.stream({ source: hello, inputs: { text: "x" } }))).toBeInstanceOf(StreamInterrupted)
  })

  it("a server that cannot be reached is ConnectFailed", async () => {
    const closed = await startServer()
    const url = closed.url
    await closed.close()
    await expect(createClient({ baseUrl: url }).connect({ WebSocket })).rejects.toBeInstanceOf(ConnectFailed)
  })

  it("with API_KEYS, the key is offered as a subprotocol; without it the upgrade is refused", async () => {
    const secured = await startServer({ API_KEYS: "k1-0123456789abcdef" })
    try {
      await expect(connect(secured)).rejects.toBeInstanceOf(ConnectFailed)
      const socket = await connect(secured, "k1-0123456789abcdef")
      const events = await collect(socket.stream({ source: hello, inputs: { text: "ok" } }))
      expect(events[0]).toMatchObject({ event: "complete", data: { value: "OK" } })
      socket.close()
    } finally {
      await secured.close()
    }
  })

  it("a request over the server's frame limit is RequestRejected (body_too_large), though the server cannot tell its id", async () => {
    const small = await startServer({ MAX_BODY_BYTES: "2048" })
    try {
      const socket = await connect(small)
      const error = await failureOf(socket.stream({ source: hello, inputs: { text: "x".repeat(4_000) } }))
      expect(error).toMatchObject({ _tag: "RequestRejected", code: "body_too_large" })
      expect(await collect(socket.stream({ source: hello, inputs: { text: "fits" } }))).toHaveLength(1)
      socket.close()
    } finally {
      await small.close()
    }
  })

  it("without a WebSocket class (Node 20 has no global one) connecting is ConnectFailed, saying what to pass", async () => {
    const hasGlobal = typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function"
    const attempt = createClient({ baseUrl: server.url }).connect()
    if (hasGlobal) {
      const socket = await attempt
      socket.close()
    } else {
      await expect(attempt).rejects.toMatchObject({ _tag: "ConnectFailed", message: expect.stringContaining("options.WebSocket") })
    }
  })
})

describe("against a server that misbehaves (a fake on 127.0.0.1)", () => {
  /** A WebSocket server that answers each execute frame with `reply(id)`'s frames. */
  const fake = async (reply: (id: string) => ReadonlyArray<string>) => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/execute/ws" })
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()))
    wss.on("connection", (socket) =>
      socket.on("message", (data) => {
        const frame = JSON.parse(String(data)) as { type: string; id: string }
        if (frame.type === "execute") for (const f of reply(frame.id)) socket.send(f)
      }))
    const { port } = wss.address() as { port: number }
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => wss.close(() => r())) }
  }
  const output = (id: string, seq: number, isFinal: boolean) =>
    JSON.stringify({ type: isFinal ? "complete" : "output", id, executionId: "e1", seq, name: `o${seq}`, value: seq, timestamp: 0, isFinal, fromFallback: false })

  it("skips event types it does not know and frames after the final one", async () => {
    const server = await fake((id) => [
      output(id, 0, false),
      JSON.stringify({ type: "from-the-future", id, executionId: "e1", seq: 1 }),
      output(id, 2, true),
      output(id, 3, false)
    ])
    try {
      const socket = await createClient({ baseUrl: server.url }).connect({ WebSocket })
      const events = await collect(socket.stream({ source: "x", inputs: {} }))
      expect(events.map((e) => e.data.seq)).toEqual([0, 2])
      socket.close()
    } finally {
      await server.close()
    }
  })

  it("a frame that is not JSON, or an event that does not match its schema, is a ProtocolError", async () => {
    const garbage = await fake(() => ["not json at all"])
    const wrong = await fake((id) => [JSON.stringify({ type: "output", id, executionId: "e1", seq: "zero" })])
    try {
      for (const server of [garbage, wrong]) {
        const socket = await createClient({ baseUrl: server.url }).connect({ WebSocket })
        expect(await failureOf(socket.stream({ source: "x", inputs: {} }))).toMatchObject({ _tag: "ProtocolError" })
        socket.close()
      }
    } finally {
      await garbage.close()
      await wrong.close()
    }
  })
})
