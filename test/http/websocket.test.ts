/**
 * `GET /execute/ws` against a real server, with the `ws` client:
 * concurrent executions on one socket, cancel, bad frames, and closing the
 * socket.
 */
import * as metrics from "../support/metrics.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { fanOut, hello, quickThenSlow, slow } from "./support/pipelines.js"
import { startServer } from "./support/server.js"
import type { TestServer } from "./support/server.js"

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

type Frame = Record<string, unknown> & { readonly type: string; readonly id: string | null }

/** A connected client that records every frame it receives. */
const connect = async () => {
  const ws = new WebSocket(`${server.wsUrl}/execute/ws`)
  const frames: Array<Frame> = []
  const waiters: Array<() => void> = []
  ws.on("message", (data) => {
    frames.push(JSON.parse(String(data)) as Frame)
    for (const w of waiters.splice(0)) w()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve())
    ws.once("error", reject)
  })
  /** Waits (at most `ms`) until a frame matching `p` has arrived. */
  const until = async (p: (f: Frame) => boolean, ms = 3_000): Promise<Frame> => {
    const deadline = performance.now() + ms
    while (performance.now() < deadline) {
      const found = frames.find(p)
      if (found !== undefined) return found
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
    throw new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames)}`)
  }
  const send = (frame: unknown) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame))
  return { ws, frames, until, send, of: (id: string) => frames.filter((f) => f.id === id) }
}

const isFinal = (id: string | null) => (f: Frame) => f.id === id && f["isFinal"] === true

/** One sample of a server's `/metrics` (the shared server's by default); NaN when absent. */
const metric = (name: string, baseUrl = server.url): Promise<number> => metrics.metric(baseUrl, name, Number.NaN)

describe("WebSocket executions", () => {
  it("runs several executions at once on one socket, each frame carrying the client's id", async () => {
    const c = await connect()
    c.send({ type: "execute", id: "fan", source: fanOut(), inputs: { query: "q" } })
    c.send({ type: "execute", id: "hi", source: hello, inputs: { text: "hi" } })
    await c.until(isFinal("fan"))
    const hi = c.of("hi")
    expect(hi).toEqual([
      { type: "complete", id: "hi", executionId: expect.any(String), seq: 0, name: "upper", value: "HI", timestamp: expect.any(Number), isFinal: true, fromFallback: false }
    ])
    // quick (5 ms) and medium (50 ms) both arrive before slow (500 ms), which is last. Their own order is
    // not asserted: on a loaded machine the event loop can stall past both timers, so both are due at once.
    const fan = c.of("fan")
    expect(fan.slice(0, 2).map((f) => [f.type, f["name"]]).sort()).toEqual([["output", "medium"], ["output", "quick"]])
    expect(fan.slice(2).map((f) => [f.type, f["name"]])).toEqual([["complete", "slow"]])
    expect(fan.map((f) => f["seq"])).toEqual([0, 1, 2])
    // `hi` finished while `fan` was still running.
    expect(c.frames.indexOf(hi[0]!)).toBeLessThan(c.frames.findIndex((f) => f.id === "fan" && f.type === "complete"))
    c.ws.close()
  })

  it("accepts a bare request without `type`, and progress events", async () => {
    const c = await connect()
    c.send({ id: "bare", source: hello, inputs: { text: "x" }, progress: true })
    await c.until(isFinal("bare"))
    expect(c.of("bare").map((f) => f.type)).toEqual(["module-started", "module-completed", "progress", "complete"])
    c.ws.close()
  })

  it("cancel interrupts the execution's modules and ends it with a `cancelled` error", async () => {
    const interruptedBefore = await metric("constellation_modules_interrupted_total")
    const c = await connect()
    c.send({ type: "execute", id: "c1", source: quickThenSlow, inputs: { text: "x" } })
    await c.until((f) => f.id === "c1" && f.type === "output")
    c.send({ type: "cancel", id: "c1" })
    const end = await c.until(isFinal("c1"))
    expect(end).toEqual({
      type: "error",
      id: "c1",
      // Numbered like every other event of the execution: after its first output.
      executionId: expect.any(String),
      seq: 1,
      timestamp: expect.any(Number),
      error: { code: "cancelled", message: "the execution was cancelled by the client", module: null },
      missing: ["late"],
      isFinal: true
    })
    expect(await metric("constellation_modules_interrupted_total")).toBe(interruptedBefore + 1)
    expect(await metric("constellation_modules_running")).toBe(0)
    // The socket still serves.
    c.send({ type: "execute", id: "after", source: hello, inputs: { text: "ok" } })
    expect((await c.until(isFinal("after")))["value"]).toBe("OK")
    c.ws.close()
  })

  it("answers bad frames with an error frame and keeps the socket open", async () => {
    const c = await connect()
    c.send("{not json")
    c.ws.send(Buffer.from([1, 2, 3]))
    c.send({ type: "launch", id: "t" })
    c.send({ type: "execute", id: "nothing" })
    c.send({ type: "execute", id: "broken", source: "out y\n" })
    c.send({ type: "execute", id: "typed", source: hello, inputs: { text: 1 } })
    c.send({ type: "cancel", id: "ghost" })
    c.send({ type: "cancel" })
    await c.until((f) => f.type === "error" && f.id === null && (f["error"] as { code: string }).code === "invalid_request")
    const codes = async (id: string | null) =>
      (await c.until((f) => f.id === id && f.type === "error")) && c.frames.filter((f) => f.id === id).map((f) => (f["error"] as { code: string }).code)
    expect(await codes(null)).toEqual(["malformed_json", "malformed_json", "invalid_request"])
    expect(await codes("t")).toEqual(["invalid_request"])
    expect(await codes("nothing")).toEqual(["invalid_request"])
    expect(await codes("broken")).toEqual(["compile_error"])
    expect(c.of("broken")[0]?.["diagnostics"]).toEqual([expect.objectContaining({ code: "E203", line: 1 })])
    expect(await codes("typed")).toEqual(["invalid_inputs"])
    expect(await codes("ghost")).toEqual(["unknown_execution"])
    expect(c.frames.every((f) => f["isFinal"] === true)).toBe(true)
    c.send({ type: "execute", id: "still-open", source: hello, inputs: { text: "y" } })
    expect((await c.until(isFinal("still-open")))["value"]).toBe("Y")
    c.ws.close()
  })

  it("refuses an id already running on the socket", async () => {
    const c = await connect()
    c.send({ type: "execute", id: "dup", source: slow, inputs: { text: "x" } })
    c.send({ type: "execute", id: "dup", source: hello, inputs: { text: "x" } })
    const refused = await c.until((f) => f.id === "dup" && f.type === "error")
    expect(refused["error"]).toMatchObject({ code: "duplicate_id" })
    c.send({ type: "cancel", id: "dup" })
    expect((await c.until((f) => f.id === "dup" && f["missing"] !== undefined))["error"]).toMatchObject({ code: "cancelled" })
    c.ws.close()
  })

  it("closing the socket interrupts its executions", async () => {
    const interruptedBefore = await metric("constellation_modules_interrupted_total")
    const disconnectsBefore = await metric("constellation_client_disconnects_total{transport=\"websocket\"}")
    const c = await connect()
    c.send({ type: "execute", id: "a", source: slow, inputs: { text: "x" } })
    c.send({ type: "execute", id: "b", source: slow, inputs: { text: "y" } })
    for (let i = 0; i < 100 && (await metric("constellation_modules_running")) < 2; i++) await new Promise((r) => setTimeout(r, 10))
    c.ws.close()
    for (let i = 0; i < 100 && (await metric("constellation_modules_running")) > 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(await metric("constellation_modules_running")).toBe(0)
    expect(await metric("constellation_modules_interrupted_total")).toBe(interruptedBefore + 2)
    expect(await metric("constellation_client_disconnects_total{transport=\"websocket\"}")).toBe(disconnectsBefore + 2)
  })
})

describe("WebSocket heartbeat", () => {
  let beating: TestServer
  beforeAll(async () => {
    beating = await startServer({ HEARTBEAT_INTERVAL_MS: "100" })
  })
  afterAll(() => beating.close())

  const open = async (options: WebSocket.ClientOptions = {}) => {
    const ws = new WebSocket(`${beating.wsUrl}/execute/ws`, options)
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve())
      ws.once("error", reject)
    })
    return ws
  }

  it("pings every interval; a client that answers keeps its socket and its execution", async () => {
    const ws = await open()
    let pings = 0
    ws.on("ping", () => pings++)
    const frames: Array<Frame> = []
    ws.on("message", (data) => frames.push(JSON.parse(String(data)) as Frame))
    ws.send(JSON.stringify({ type: "execute", id: "a", source: slow, inputs: { text: "x" } }))
    await expect.poll(() => frames.find(isFinal("a")), { timeout: 3_000 }).toBeDefined()
    expect(frames.find(isFinal("a"))).toMatchObject({ type: "complete", name: "late" })
    expect(pings).toBeGreaterThanOrEqual(5)
    expect(ws.readyState).toBe(WebSocket.OPEN)
    ws.close()
  })

  it("a client that does not read is not cut off while our frames wait for it; once they have left, an unanswered ping is", async () => {
    const gauge = "constellation_active_streams{transport=\"websocket\"}"
    const openSockets = () => metric(gauge, beating.url)
    const ws = await open({ autoPong: false })
    const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()))
    // 2,000 outputs of 8 KiB: far more than the connection holds.
    const source = ["in t: String", ...Array.from({ length: 2_000 }, (_, k) => `o${k} = Delay(t, 0)`), ...Array.from({ length: 2_000 }, (_, k) => `out o${k}`)].join("\n")
    ws.send(JSON.stringify({ type: "execute", id: "big", source, inputs: { t: "v".repeat(8_192) } }))
    await new Promise((r) => setTimeout(r, 50))
    ws.pause()
    // Ten intervals without reading or answering: the frames still waiting keep the server's side open.
    await new Promise((r) => setTimeout(r, 1_000))
    expect(await openSockets()).toBe(1)
    // Reading again drains them; the pings stay unanswered: the server ends the session.
    ws.resume()
    ws.on("message", () => undefined)
    await closed
    await expect.poll(openSockets, { timeout: 3_000 }).toBe(0)
  })

  it("a client that stops answering pings is disconnected, and its execution interrupted", async () => {
    const ws = await open({ autoPong: false })
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)))
    ws.send(JSON.stringify({ type: "execute", id: "a", source: slow, inputs: { text: "x" } }))
    // Terminated (no close frame): the client sees an abnormal closure.
    expect(await closed).toBe(1006)
    // The only execution this server cancels.
    await expect.poll(() => metric("constellation_executions_total{mode=\"websocket\",status=\"cancelled\"}", beating.url), { timeout: 3_000 })
      .toBe(1)
  })
})
