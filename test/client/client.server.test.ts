/**
 * The Promise client against the real server on 127.0.0.1: outputs stream
 * in completion order, the batch and callback forms agree, every failure is
 * a typed error, and leaving or aborting a stream cancels the work on the
 * server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  Aborted,
  ConnectFailed,
  OutputFailed,
  ProtocolError,
  RequestRejected,
  StreamInterrupted
} from "../../src/client/ClientError.js"
import { createClient } from "../../src/client/ConstellationClient.js"
import type { ConstellationClient } from "../../src/client/ConstellationClient.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"
import { fanOut, hello, partial, quickThenSlow, slow } from "../http/support/pipelines.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { firstFrame, sseHeaders, startFakeServer } from "./fakeServer.js"
import { INTERRUPTED_METRIC, metric, rejectionOf, rejectsWith, SSE_DISCONNECTS, within } from "./support.js"

let server: TestServer
let client: ConstellationClient
beforeAll(async () => {
  server = await startServer()
  client = createClient({ baseUrl: server.url })
})
afterAll(() => server.close())

describe("createClient against a real server", () => {
  it("streams the fan-out's outputs in completion order, the first long before the last", async () => {
    const started = performance.now()
    const seen: Array<{ readonly e: StreamEvent; readonly at: number }> = []
    for await (const e of client.stream({ source: fanOut(), inputs: { query: "a b c" } })) {
      seen.push({ e, at: performance.now() - started })
    }
    expect(seen.map(({ e }) => [e.event, "name" in e.data ? e.data.name : undefined])).toEqual([
      ["output", "quick"],
      ["output", "medium"],
      ["complete", "slow"]
    ])
    expect(seen.map(({ e }) => ("value" in e.data ? e.data.value : undefined))).toEqual(["A B C", 3, "slow result for a b c"])
    const [first, , last] = seen
    // `quick` takes 5 ms and `slow` 500 ms: the first output must not wait for the last.
    expect(last!.at - first!.at).toBeGreaterThan(300)
  })

  it("gives the same answer as a batch and through callbacks", async () => {
    const batch = await client.execute({ source: partial, inputs: { text: "hi" } })
    expect(batch).toMatchObject({ status: "partial", outputs: { ok: "HI" }, errors: { bad: { code: "invalid_argument" } } })

    const outputs: Array<string> = []
    const errors: Array<unknown> = []
    const progress: Array<number> = []
    let completed: unknown
    await client.subscribe({ source: partial, inputs: { text: "hi" } }, {
      onOutput: (o) => outputs.push(`${o.name}=${JSON.stringify(o.value)}`),
      onError: (e) => errors.push(e),
      onProgress: (p) => progress.push(p.completed),
      onComplete: (result) => (completed = result)
    })
    expect(outputs).toEqual(["ok=\"HI\""])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(OutputFailed)
    expect(errors[0]).toMatchObject({ name: "bad", error: { code: "invalid_argument", module: "Delay" } })
    // onProgress asked the server for progress events.
    expect(progress.length).toBeGreaterThan(0)
    expect(completed).toMatchObject({ status: "partial", outputs: batch.outputs, errors: batch.errors })
  })

  it("turns an error status into RequestRejected with the server's code, details and request id", async () => {
    const tagged = createClient({ baseUrl: server.url, headers: () => ({ "x-request-id": "client-test-1" }) })
    const source = "in text: String\nout upper: String\nupper = Uppercse(text)\n"
    const error = await rejectsWith(tagged.stream({ source, inputs: {} }).next(), RequestRejected)
    expect(error).toMatchObject({ status: 400, code: "compile_error", requestId: "client-test-1" })
    expect(error.body["diagnostics"]).toEqual([expect.objectContaining({ code: "E400", line: 3 })])
    expect(error.message).toMatch(/^The server rejected the request \(HTTP 400, compile_error\)/)

    const invalid = await rejectionOf(client.execute({ source: hello, inputs: { text: 42 } }))
    expect(invalid).toMatchObject({ _tag: "RequestRejected", status: 400, code: "invalid_inputs" })
  })

  it("reports a server it cannot reach as ConnectFailed, and compiles and lists modules", async () => {
    const gone = await startServer()
    const url = gone.url
    await gone.close()
    const error = await rejectsWith(createClient({ baseUrl: url }).execute({ source: hello, inputs: { text: "x" } }), ConnectFailed)
    expect(error.message).toContain(url)

    const compiled = await client.compile(hello)
    expect(compiled).toMatchObject({ inputs: { text: "String" }, outputs: { upper: "String" } })
    const byRef = await client.execute({ ref: compiled.ref, inputs: { text: "ref" } })
    expect(byRef.outputs).toEqual({ upper: "REF" })
    const { modules } = await client.modules()
    expect(modules.map((m) => m.signature)).toContain("Uppercase(text: String): String")
  })

  it("closes the connection when the loop is left early: the server interrupts the running module", async () => {
    const interrupted = await metric(server.url, INTERRUPTED_METRIC)
    const disconnects = await metric(server.url, SSE_DISCONNECTS)
    for await (const e of client.stream({ source: quickThenSlow, inputs: { text: "x" } }, { resume: false })) {
      expect(e).toMatchObject({ event: "output", data: { name: "first" } })
      break
    }
    await within(2_000, async () =>
      (await metric(server.url, INTERRUPTED_METRIC)) > interrupted &&
      (await metric(server.url, SSE_DISCONNECTS)) > disconnects)
  })

  it("leaving a resumable stream early cancels the execution it continued on its own", async () => {
    const interrupted = await metric(server.url, INTERRUPTED_METRIC)
    let executionId = ""
    for await (const e of client.stream({ source: quickThenSlow, inputs: { text: "x" } })) {
      executionId = e.data.executionId
      break
    }
    await within(2_000, async () => (await metric(server.url, INTERRUPTED_METRIC)) > interrupted)
    const state = await client.state(executionId)
    expect(state).toMatchObject({ status: "partial", onDisconnect: "continue", outputStatus: { first: "succeeded", late: "missing" } })
  })

  it("aborting the signal fails the stream with Aborted and cancels the execution on the server", async () => {
    for (const resume of [false, undefined]) {
      const interrupted = await metric(server.url, INTERRUPTED_METRIC)
      const disconnects = await metric(server.url, SSE_DISCONNECTS)
      const controller = new AbortController()
      const events = client.stream({ source: quickThenSlow, inputs: { text: "x" } }, { signal: controller.signal, ...(resume === false ? { resume } : {}) })
      expect((await events.next()).value).toMatchObject({ event: "output" })
      controller.abort(new Error("user pressed stop"))
      const error = await rejectsWith(events.next(), Aborted)
      expect(error.message).toContain("user pressed stop")
      const took = await within(2_000, async () =>
        (await metric(server.url, INTERRUPTED_METRIC)) > interrupted &&
        // Only a stream that holds its execution counts as a client gone (a resumable one continued, then was cancelled).
        (resume !== false || (await metric(server.url, SSE_DISCONNECTS)) > disconnects))
      expect(took).toBeLessThan(2_000)
    }
  })

  it("a connection cut mid-stream fails the stream with StreamInterrupted, never a silent end", async () => {
    const cut = await startFakeServer((response) => {
      response.writeHead(200, sseHeaders)
      response.write(firstFrame, () => setTimeout(() => response.socket?.destroy(), 50))
    })
    const ended = await startFakeServer((response) => {
      response.writeHead(200, sseHeaders)
      response.end(firstFrame)
    })
    try {
      for (const [fake, how] of [[cut, "the connection failed"], [ended, "the server ended the response"]] as const) {
        const received: Array<string> = []
        const error = await rejectsWith((async () => {
          for await (const e of createClient({ baseUrl: fake.url }).stream({ source: hello })) received.push(e.event)
        })(), StreamInterrupted)
        expect(received).toEqual(["output"])
        expect(error).toMatchObject({ executionId: "x1", received: 1 })
        expect(error.message).toContain(how)
      }
    } finally {
      await Promise.all([cut.close(), ended.close()])
    }
  })

  it("an answer that is not an event stream is a ProtocolError", async () => {
    const html = await startFakeServer((response) => {
      response.writeHead(200, { "content-type": "text/html" })
      response.end("<html>proxy login</html>")
    })
    try {
      const error = await rejectsWith(createClient({ baseUrl: html.url }).stream({ source: hello }).next(), ProtocolError)
      expect(error.message).toContain("expected text/event-stream, got \"text/html\"")
    } finally {
      await html.close()
    }
  })

  it("a stream that ends with an execution error is not an exception: the error event is the final event", async () => {
    const events: Array<StreamEvent> = []
    for await (const e of client.stream({ source: slow, inputs: { text: "x" }, deadlineMs: 50 })) events.push(e)
    expect(events).toEqual([
      { event: "error", data: expect.objectContaining({ missing: ["late"], isFinal: true, error: expect.objectContaining({ code: expect.any(String) }) }) }
    ])
  })
})
