/**
 * The Effect client resuming by itself: a real server behind a proxy that
 * cuts the socket mid-event; the stream's consumer sees every output once,
 * in order. Also `attach`, `create`, `state`, `cancel`, `list`, stopping
 * early (which cancels the execution it continued), and giving up.
 */
import { FetchHttpClient } from "@effect/platform"
import { Chunk, Effect, Either, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ConstellationHttpClient } from "../../src/client/ConstellationHttpClient.js"
import type { ConstellationHttpClientOptions } from "../../src/client/ConstellationHttpClient.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"
import { fanOut, quickThenSlow } from "../http/support/pipelines.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { startCuttingProxy } from "./cuttingProxy.js"
import type { CuttingProxy } from "./cuttingProxy.js"
import { INTERRUPTED_METRIC, metric, within } from "./support.js"

const names = Array.from({ length: 50 }, (_, i) => `o${i}`)
const fifty = ["in n: Int", ...names.map((o, i) => `${o} = Delay(n, ${i * 4})`), ...names.map((o) => `out ${o}`)].join("\n")

let server: TestServer
let proxy: CuttingProxy
beforeAll(async () => {
  server = await startServer()
  proxy = await startCuttingProxy(server.url)
})
afterAll(async () => {
  await proxy.close()
  await server.close()
})

const withClient = <A, E>(effect: Effect.Effect<A, E, ConstellationHttpClient>, options: Partial<ConstellationHttpClientOptions> = {}) =>
  Effect.runPromise(effect.pipe(
    Effect.provide(ConstellationHttpClient.layer({ baseUrl: proxy.url, resume: { initialDelayMs: 5, maxDelayMs: 50 }, ...options })),
    Effect.provide(FetchHttpClient.layer)
  ))

const collect = (stream: (client: ConstellationHttpClient["Type"]) => Stream.Stream<StreamEvent, unknown>) =>
  Effect.flatMap(ConstellationHttpClient, (client) => Stream.runCollect(stream(client))).pipe(Effect.map(Chunk.toArray))

const resultNames = (events: ReadonlyArray<StreamEvent>) =>
  events.flatMap((e) => (e.event === "output" || e.event === "complete" || e.event === "error") && "name" in e.data ? [e.data.name] : [])

describe("the Effect client resumes a cut stream", () => {
  it("cut twice mid-event: every output once, in the server's order, the final event last", async () => {
    const before = proxy.cuts()
    proxy.cutAt("\"name\":\"o3\"", "\"name\":\"o40\"")
    const events = await withClient(collect((c) => c.stream({ source: fifty, inputs: { n: 2 }, progress: true })))
    expect(proxy.cuts() - before).toBe(2)
    // Each output exactly once (in the order the server finished them, which load may shuffle: the seqs say it).
    expect(resultNames(events).sort()).toEqual([...names].sort())
    expect(events.at(-1)).toMatchObject({ event: "complete", data: { isFinal: true } })
    expect(events.every((e, i) => i === 0 || e.data.seq > events[i - 1]!.data.seq)).toBe(true)
  })

  it("with resume off a cut fails the stream with StreamInterrupted; when the server stays away it gives up after its tries", async () => {
    proxy.cutAt("\"name\":\"quick\"")
    const off = await withClient(Effect.either(collect((c) => c.stream({ source: fanOut(), inputs: { query: "x" } }))), { resume: false })
    expect(Either.isLeft(off) && off.left).toMatchObject({ _tag: "StreamInterrupted" })

    const lonely = await startCuttingProxy(server.url)
    let seen = 0
    const gone = await withClient(
      Effect.either(collect((c) =>
        c.stream({ source: fanOut(), inputs: { query: "x" } }).pipe(Stream.tap(() => Effect.sync(() => {
          seen++
          lonely.refuse()
        })))
      )),
      { baseUrl: lonely.url, resume: { retries: 2, initialDelayMs: 5, maxDelayMs: 10 } }
    )
    await lonely.close()
    expect(seen).toBeGreaterThanOrEqual(1)
    expect(Either.isLeft(gone) && gone.left).toMatchObject({ _tag: "StreamInterrupted", received: seen, cause: { _tag: "ConnectFailed" } })
  })

  it("stopping early (Stream.take) cancels the execution it continued on its own", async () => {
    const interrupted = await metric(server.url, INTERRUPTED_METRIC)
    const [first] = await withClient(collect((c) => c.stream({ source: quickThenSlow, inputs: { text: "x" } }).pipe(Stream.take(1))))
    await within(2_000, async () => (await metric(server.url, INTERRUPTED_METRIC)) > interrupted)
    const state = await withClient(Effect.flatMap(ConstellationHttpClient, (c) => c.state(first!.data.executionId)))
    expect(state).toMatchObject({ status: "partial", outputStatus: { first: "succeeded", late: "missing" } })
  })
})

describe("executions as resources, through the Effect client", () => {
  it("create, attach mid-run with a cut, state, cancel, list", async () => {
    const program = Effect.gen(function*() {
      const client = yield* ConstellationHttpClient
      const created = yield* client.create({ source: fanOut(), inputs: { query: "effect join" } })
      yield* Effect.sleep("120 millis")
      proxy.cutAt("\"name\":\"slow\"")
      const events = Chunk.toArray(yield* Stream.runCollect(client.attach(created.executionId)))
      const state = yield* client.state(created.executionId)
      const other = yield* client.create({ source: fanOut(), inputs: { query: "stop" } })
      const cancelled = yield* client.cancel(other.executionId)
      const page = yield* client.list({ limit: 2 })
      const unknown = yield* Effect.either(client.state("nope"))
      return { events, state, cancelled, page, unknown }
    })
    const { events, state, cancelled, page, unknown } = await withClient(program)
    expect(resultNames(events)).toEqual(["quick", "medium", "slow"])
    expect(state).toMatchObject({ status: "completed", outputs: { quick: "EFFECT JOIN" } })
    expect(cancelled).toMatchObject({ outputStatus: { slow: "missing" } })
    expect(["partial", "failed"]).toContain(cancelled.status)
    expect(page.executions.length).toBe(2)
    expect(Either.isLeft(unknown) && unknown.left).toMatchObject({ _tag: "RequestRejected", status: 404 })
  })
})
