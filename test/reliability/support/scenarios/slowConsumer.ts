/**
 * The slow consumer: one client reads a stream of thousands of outputs,
 * stops reading altogether for a while, then reads slowly to the end.
 * While it does not read, the server must stop producing (its count of
 * events sent stops growing well short of the total) and its memory must
 * not grow with the stream; in the end every output arrives exactly once,
 * in order.
 */
import { createParser } from "eventsource-parser"
import { request } from "node:http"
import WebSocket from "ws"
import { sleep } from "../measure.js"
import type { Memory, Target } from "../target.js"
import { wide } from "./pipelines.js"

export interface SlowConsumerOptions {
  readonly transport: "sse" | "websocket"
  readonly outputs: number
  readonly valueBytes: number
  /** How long the client reads nothing, once it has the first few events. */
  readonly pauseMs: number
  /** The wait after each chunk read once it reads again. */
  readonly readDelayMs: number
  readonly timeoutMs: number
}

export interface SlowConsumerReport {
  readonly transport: string
  readonly outputs: number
  /** Bytes of the whole stream, roughly. */
  readonly streamMiB: number
  /** Events the server had sent when the client stopped reading, and when it started again. */
  readonly sentAtPause: number
  readonly sentAfterPause: number
  /** Whether the count of events sent was the same over the last half of the pause. */
  readonly stalled: boolean
  readonly before: Memory
  readonly duringPause: Memory
  readonly received: number
  /** Outputs that arrived twice, or not at all, or out of sequence. */
  readonly duplicates: number
  readonly missing: number
  readonly outOfOrder: number
  readonly finalEvent: string | undefined
  readonly durationMs: number
}

interface Received {
  readonly name: string
  readonly seq: number
  readonly isFinal: boolean
  readonly type: string
}

const SENT = "constellation_events_sent_total{type=\"output\"}"
const COMPLETE = "constellation_events_sent_total{type=\"complete\"}"

export const slowConsumer = async (target: Target, options: SlowConsumerOptions): Promise<SlowConsumerReport> => {
  const body = { source: wide(options.outputs), inputs: { t: "v".repeat(options.valueBytes) } }
  const received: Array<Received> = []
  const sent = async () => (await target.metric(SENT)) + (await target.metric(COMPLETE))
  const sentBefore = await sent()
  const before = await target.memory()
  const started = performance.now()
  let sentAtPause = 0
  let sentAfterPause = 0
  let stalled = false
  let duringPause = before

  /** Called once the first events are in: the client holds still, and the server is watched. */
  const pause = async () => {
    sentAtPause = (await sent()) - sentBefore
    const samples: Array<number> = []
    const step = options.pauseMs / 8
    for (let i = 0; i < 8; i++) {
      await sleep(step)
      samples.push((await sent()) - sentBefore)
    }
    duringPause = await target.memory()
    sentAfterPause = (await sent()) - sentBefore
    stalled = samples.slice(4).every((n) => n === samples[4])
  }

  const record = (data: Record<string, unknown>, type: string) =>
    received.push({ name: String(data["name"]), seq: Number(data["seq"]), isFinal: data["isFinal"] === true, type })

  if (options.transport === "sse") {
    await new Promise<void>((resolve, reject) => {
      const text = JSON.stringify(body)
      const timer = setTimeout(() => {
        req.destroy()
        reject(new Error("the slow consumer timed out"))
      }, options.timeoutMs)
      const parser = createParser({ onEvent: (m) => record(JSON.parse(m.data) as Record<string, unknown>, m.event ?? "message") })
      const req = request(`${target.url}/execute/stream`, {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) }
      })
      req.on("error", reject)
      req.on("response", async (res) => {
        res.setEncoding("utf8")
        let paused = false
        for await (const chunk of res as AsyncIterable<string>) {
          parser.feed(chunk)
          if (!paused && received.length >= 5) {
            paused = true
            await pause()
          } else if (paused) {
            await sleep(options.readDelayMs)
          }
        }
        clearTimeout(timer)
        resolve()
      })
      req.end(text)
    })
  } else {
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${target.wsUrl}/execute/ws`)
      const timer = setTimeout(() => {
        ws.terminate()
        reject(new Error("the slow consumer timed out"))
      }, options.timeoutMs)
      let paused = false
      let reading = Promise.resolve()
      ws.on("open", () => ws.send(JSON.stringify({ id: "slow", ...body })))
      ws.on("error", reject)
      ws.on("message", (data) => {
        const frame = JSON.parse(String(data)) as Record<string, unknown>
        record(frame, String(frame["type"]))
        if (frame["isFinal"] === true) {
          clearTimeout(timer)
          ws.close()
          resolve()
          return
        }
        if (!paused && received.length >= 5) {
          paused = true
          ws.pause()
          reading = pause().then(async () => {
            // Reads slowly: a frame or so at a time.
            while (ws.readyState === WebSocket.OPEN && !received.at(-1)?.isFinal) {
              ws.resume()
              await sleep(0)
              ws.pause()
              await sleep(options.readDelayMs)
            }
            ws.resume()
          })
        }
      })
      void reading
    })
  }

  const names = new Set<string>()
  let duplicates = 0
  let outOfOrder = 0
  for (const [i, r] of received.entries()) {
    if (names.has(r.name)) duplicates++
    names.add(r.name)
    if (r.seq !== i) outOfOrder++
  }
  let missing = 0
  for (let k = 0; k < options.outputs; k++) if (!names.has(`o${k}`)) missing++
  return {
    transport: options.transport,
    outputs: options.outputs,
    streamMiB: (options.outputs * (options.valueBytes + 150)) / 2 ** 20,
    sentAtPause,
    sentAfterPause,
    stalled,
    before,
    duringPause,
    received: received.length,
    duplicates,
    missing,
    outOfOrder,
    finalEvent: received.at(-1)?.isFinal === true ? received.at(-1)?.type : undefined,
    durationMs: performance.now() - started
  }
}
