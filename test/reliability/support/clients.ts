/**
 * Load-generating clients over plain Node sockets, so a test controls
 * exactly when a connection goes away and how fast it reads: an SSE client
 * (parsed by a real SSE library, `eventsource-parser`) that can disconnect
 * after a time, a number of bytes or events, or read slowly; a raw TCP
 * client for bytes that are not valid HTTP; a WebSocket client (`ws`).
 */
import { createParser } from "eventsource-parser"
import { request } from "node:http"
import type { IncomingHttpHeaders } from "node:http"
import { connect } from "node:net"
import WebSocket from "ws"

export interface SseEvent {
  readonly event: string | undefined
  readonly id: string | undefined
  readonly data: Record<string, unknown>
}

export interface SseResult {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** The events of a 200, or nothing. */
  readonly events: ReadonlyArray<SseEvent>
  /** The whole body of an answer that is not an event stream. */
  readonly body: string
  readonly bytes: number
  /** The client went away on purpose before the end. */
  readonly aborted: boolean
  /** No answer, or no end, within `timeoutMs`. */
  readonly timedOut: boolean
  /** A connection error other than our own abort. */
  readonly error: string | undefined
  /** Milliseconds from sending to the status line. */
  readonly firstByteMs: number | undefined
}

export interface SseOptions {
  /** `GET` sends no body (`body` is ignored); default `POST`. */
  readonly method?: "GET" | "POST"
  readonly headers?: Readonly<Record<string, string>>
  /** Destroys the connection this long after sending (before or during the answer). */
  readonly abortAfterMs?: number
  /** Destroys the connection this long after the answer's status line arrived (while modules run). */
  readonly abortAfterAnswerMs?: number
  /** Destroys the connection once this many body bytes arrived (possibly mid-event). */
  readonly abortAfterBytes?: number
  /** Waits this long after each chunk read: a slow consumer. */
  readonly readDelayMs?: number
  /** Called with each event as it is parsed. */
  readonly onEvent?: (e: SseEvent) => void
  /** Called when the answer's status line arrives. */
  readonly onAnswer?: () => void
  /** Gives up (and destroys the connection) after this long. */
  readonly timeoutMs: number
}

/** POSTs `body` (JSON text) to `url` and reads the answer as the options say. */
export const sse = (url: string, body: string, options: SseOptions): Promise<SseResult> =>
  new Promise((resolve) => {
    const started = performance.now()
    const events: Array<SseEvent> = []
    let text = ""
    let bytes = 0
    let status = 0
    let headers: IncomingHttpHeaders = {}
    let aborted = false
    let timedOut = false
    let error: string | undefined
    let firstByteMs: number | undefined
    let settled = false
    const timers: Array<NodeJS.Timeout> = []
    const finish = () => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      resolve({ status, headers, events, body: text, bytes, aborted, timedOut, error, firstByteMs })
    }
    const parser = createParser({
      onEvent: (m) => {
        let data: Record<string, unknown>
        try {
          data = JSON.parse(m.data) as Record<string, unknown>
        } catch {
          data = { unparsable: m.data }
        }
        const e = { event: m.event, id: m.id, data }
        events.push(e)
        options.onEvent?.(e)
      }
    })
    const get = options.method === "GET"
    const req = request(url, {
      method: get ? "GET" : "POST",
      agent: false,
      headers: get ? { ...options.headers } : { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...options.headers }
    })
    const abort = () => {
      if (settled) return
      aborted = true
      req.destroy()
      finish()
    }
    timers.push(setTimeout(() => {
      timedOut = true
      req.destroy()
      finish()
    }, options.timeoutMs))
    if (options.abortAfterMs !== undefined) timers.push(setTimeout(abort, options.abortAfterMs))
    req.on("error", (e) => {
      if (!aborted && !timedOut) error = e.message
      finish()
    })
    req.on("response", async (res) => {
      status = res.statusCode ?? 0
      headers = res.headers
      firstByteMs = performance.now() - started
      if (options.abortAfterAnswerMs !== undefined) timers.push(setTimeout(abort, options.abortAfterAnswerMs))
      options.onAnswer?.()
      const isStream = (res.headers["content-type"] ?? "").startsWith("text/event-stream")
      res.setEncoding("utf8")
      try {
        for await (const chunk of res as AsyncIterable<string>) {
          bytes += Buffer.byteLength(chunk)
          if (isStream) parser.feed(chunk)
          else text += chunk
          if (options.abortAfterBytes !== undefined && bytes >= options.abortAfterBytes) return abort()
          if (settled) return
          if (options.readDelayMs !== undefined) await new Promise((r) => setTimeout(r, options.readDelayMs))
        }
      } catch (e) {
        if (!aborted && !timedOut) error = e instanceof Error ? e.message : String(e)
      }
      finish()
    })
    if (get) req.end()
    else req.end(body)
  })

export interface HttpAnswer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly timedOut: boolean
  readonly error: string | undefined
}

/** Any request through Node's client, the whole answer read. */
export const http = (
  url: string,
  init: { readonly method?: string; readonly headers?: Readonly<Record<string, string>>; readonly body?: string | Uint8Array; readonly timeoutMs?: number } = {}
): Promise<HttpAnswer> =>
  new Promise((resolve) => {
    let settled = false
    const done = (a: HttpAnswer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(a)
    }
    const req = request(url, { method: init.method ?? "GET", agent: false, headers: { ...init.headers } })
    const timer = setTimeout(() => {
      req.destroy()
      done({ status: 0, headers: {}, body: "", timedOut: true, error: undefined })
    }, init.timeoutMs ?? 10_000)
    req.on("error", (e) => done({ status: 0, headers: {}, body: "", timedOut: false, error: e.message }))
    req.on("response", (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("error", (e) => done({ status: res.statusCode ?? 0, headers: res.headers, body: "", timedOut: false, error: e.message }))
      res.on("end", () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), timedOut: false, error: undefined })
      )
    })
    req.end(init.body)
  })

/** Writes raw bytes to the server and reads what comes back until it closes the connection (or `timeoutMs`). */
export const raw = (port: number, bytes: string | Uint8Array, timeoutMs = 5_000): Promise<{ readonly text: string; readonly timedOut: boolean }> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1")
    const chunks: Array<Buffer> = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      socket.destroy()
    }, timeoutMs)
    socket.on("data", (c) => chunks.push(c))
    socket.on("error", () => undefined)
    socket.on("close", () => {
      clearTimeout(timer)
      resolve({ text: Buffer.concat(chunks).toString("utf8"), timedOut })
    })
    // Half-closed: the server knows no more bytes come, so an incomplete request is answered (or closed) at once.
    socket.end(bytes)
  })

export interface WsClient {
  readonly ws: WebSocket
  readonly frames: Array<Record<string, unknown>>
  /** Resolves when a frame satisfies `p`; rejects after `ms`, or as soon as the socket closes without one. */
  readonly until: (p: (f: Record<string, unknown>) => boolean, ms?: number) => Promise<Record<string, unknown>>
  readonly closed: Promise<number>
}

/** Opens a WebSocket to `url` and records every frame. */
export const wsConnect = (url: string, options: WebSocket.ClientOptions & { readonly protocols?: ReadonlyArray<string> } = {}): Promise<WsClient> =>
  new Promise((resolve, reject) => {
    const { protocols, ...rest } = options
    const ws = new WebSocket(url, protocols === undefined ? [] : [...protocols], rest)
    const frames: Array<Record<string, unknown>> = []
    const waiters = new Set<() => void>()
    let isClosed = false
    const closed = new Promise<number>((r) =>
      ws.once("close", (code) => {
        isClosed = true
        r(code)
        for (const w of [...waiters]) w()
      })
    )
    ws.on("message", (data) => {
      try {
        frames.push(JSON.parse(String(data)) as Record<string, unknown>)
      } catch {
        frames.push({ unparsable: String(data) })
      }
      for (const w of [...waiters]) w()
    })
    const until = (p: (f: Record<string, unknown>) => boolean, ms = 5_000) =>
      new Promise<Record<string, unknown>>((res, rej) => {
        const check = () => {
          const found = frames.find(p)
          if (found === undefined && !isClosed) return false
          waiters.delete(check)
          clearTimeout(timer)
          if (found === undefined) rej(new Error(`the socket closed without a matching frame; got ${JSON.stringify(frames).slice(0, 500)}`))
          else res(found)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          rej(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames).slice(0, 500)}`))
        }, ms)
        if (!check()) waiters.add(check)
      })
    ws.once("open", () => resolve({ ws, frames, until, closed }))
    ws.once("unexpected-response", (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)))
    ws.once("error", reject)
  })
