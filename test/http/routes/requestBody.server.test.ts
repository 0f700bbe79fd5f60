/**
 * Request bodies over a real connection, read from the Node request
 * itself: a body sent in pieces is put together, one over the limit is
 * refused with a 413 as soon as it is (declared or sent) and its
 * connection closed, and a client that stops halfway harms nothing.
 */
import { request } from "node:http"
import type { IncomingHttpHeaders } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { hello } from "../support/pipelines.js"
import { startServer } from "../support/server.js"
import type { TestServer } from "../support/server.js"

const LIMIT = 1000

let server: TestServer
beforeAll(async () => {
  server = await startServer({ MAX_BODY_BYTES: String(LIMIT) })
})
afterAll(() => server.close())

interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** POSTs `chunks` to `/execute` one by one (chunked unless `contentLength` is given), a few ms apart. */
const send = (chunks: ReadonlyArray<string>, contentLength?: number): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(`${server.url}/execute`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", ...(contentLength === undefined ? {} : { "content-length": contentLength }) }
    })
    let answered = false
    // Once answered (a 413 closes the connection), further writes may fail: that is no error of the test.
    req.on("error", (e) => answered || reject(e))
    req.on("response", (res) => {
      answered = true
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (c: string) => (body += c))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    const next = (i: number) => {
      if (req.destroyed || answered) return
      if (i === chunks.length) return void req.end()
      req.write(chunks[i])
      setTimeout(() => next(i + 1), 5)
    }
    next(0)
  })

const split = (text: string, parts: number): Array<string> => {
  const size = Math.ceil(text.length / parts)
  return Array.from({ length: parts }, (_, i) => text.slice(i * size, (i + 1) * size))
}

describe("request bodies over a real connection", () => {
  it("puts a body sent in pieces back together", async () => {
    const body = JSON.stringify({ source: hello, inputs: { text: "in pieces" } })
    const answer = await send(split(body, 4))
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ status: "completed", outputs: { upper: "IN PIECES" } })
  })

  it("refuses a body that grows over the limit with a 413, and closes the connection", async () => {
    const body = JSON.stringify({ source: hello, inputs: { text: "x".repeat(3 * LIMIT) } })
    const answer = await send(split(body, 8))
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toMatchObject({ error: "body_too_large", limit: LIMIT })
    expect(answer.headers["connection"]).toBe("close")
  })

  it("refuses a declared length over the limit before reading it", async () => {
    const answer = await send([], 10 * LIMIT)
    expect(answer.status).toBe(413)
    expect(answer.headers["connection"]).toBe("close")
  })

  it("survives a client that stops in the middle of its body", async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/execute`, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": 500 } })
      req.on("error", () => resolve())
      req.on("close", () => resolve())
      req.write("{\"source\": ")
      setTimeout(() => req.destroy(), 20)
    })
    const answer = await send([JSON.stringify({ source: hello, inputs: { text: "after" } })])
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ outputs: { upper: "AFTER" } })
  })
})
