/**
 * The lease and the retention of kept executions, in virtual time
 * (TestClock): a run that continues without a listener finishes and stays
 * readable; one whose lease runs out is cancelled, keeping what it had
 * computed; any reader renews the lease; finished executions go after
 * their retention, or sooner, oldest first, when over the count.
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, TestClock } from "effect"
import { EXPIRED, Retained } from "../../../src/http/executions/Retained.js"
import type { RetainedExecution } from "../../../src/http/executions/Retained.js"
import { Executions } from "../../../src/http/executions/Executions.js"
import * as Limits from "../../../src/http/server/Limits.js"
import * as ServerConfig from "../../../src/http/server/ServerConfig.js"
import { servicesLayer } from "../../../src/http/server/server.js"
import type { ExecuteRequest } from "../../../src/protocol/api.js"

const request = (slowMs: number, extra: Partial<ExecuteRequest> = {}): ExecuteRequest => ({
  source: `in text: String\nquick = Delay(text, 10)\nslow = Delay(text, ${slowMs})\nout quick\nout slow`,
  inputs: { text: "x" },
  progress: false,
  ...extra
})

const services = (limits: Partial<Limits.LimitsShape> = {}) =>
  Effect.map(
    Layer.build(servicesLayer.pipe(Layer.provide(Layer.merge(Limits.layerWith(limits), ServerConfig.layerWith({ leaseMs: 5_000 }))))),
    (context) => ({ executions: Context.get(context, Executions), retained: Context.get(context, Retained) })
  )

/** Starts `r` as `POST /executions` does: nobody reading. */
const create = (executions: Context.Tag.Service<Executions>, r: ExecuteRequest) =>
  Effect.map(executions.prepare(r, "resource"), (handle) => {
    handle.start()
    return handle.retained
  })

const finalOf = (e: RetainedExecution) => e.log.finalEvent

describe("lease", () => {
  it.scoped("a run nobody follows finishes within its lease and stays readable", () =>
    Effect.gen(function*() {
      const { executions, retained } = yield* services()
      const e = yield* create(executions, request(1_000))
      yield* TestClock.adjust("1001 millis")
      expect(finalOf(e)).toMatchObject({ _tag: "Output", name: "slow", isFinal: true })
      expect(retained.lookup(e.executionId)).toBe(e)
    }))

  it.scoped("a run whose lease runs out with nobody following is cancelled, keeping what it computed", () =>
    Effect.gen(function*() {
      const { executions } = yield* services()
      const e = yield* create(executions, request(60_000, { leaseMs: 2_000 }))
      yield* TestClock.adjust("1999 millis")
      expect(e.log.finished).toBe(false)
      yield* TestClock.adjust("1 millis")
      expect(finalOf(e)).toMatchObject({ _tag: "ExecutionFailed", error: { code: "lease_expired" }, missing: ["slow"] })
      expect(e.log.published("quick")).toBe(true)
    }))

  it.scoped("a reader renews the lease; the last one leaving starts it again", () =>
    Effect.gen(function*() {
      const { executions, retained } = yield* services()
      const e = yield* create(executions, request(60_000))
      yield* TestClock.adjust("4 seconds")
      const leave = retained.subscribe(e)
      yield* TestClock.adjust("30 seconds")
      expect(e.log.finished).toBe(false)
      expect(e.subscribers).toBe(1)
      leave()
      yield* TestClock.adjust("4999 millis")
      expect(e.log.finished).toBe(false)
      yield* TestClock.adjust("1 millis")
      expect(finalOf(e)).toMatchObject({ error: { code: "lease_expired" } })
    }))

  it.scoped("onDisconnect: cancel has no lease: nobody following does not stop it", () =>
    Effect.gen(function*() {
      const { executions } = yield* services()
      const handle = yield* executions.prepare(request(20_000), "stream")
      handle.start()
      yield* TestClock.adjust("20 seconds")
      expect(finalOf(handle.retained)).toMatchObject({ _tag: "Output", name: "slow" })
    }))
})

describe("retention", () => {
  it.scoped("a finished execution is kept for retentionMs, then answers expired", () =>
    Effect.gen(function*() {
      const { executions, retained } = yield* services({ retentionMs: 60_000 })
      const e = yield* create(executions, request(100))
      yield* TestClock.adjust("100 millis")
      expect(e.finishedAt).toBeDefined()
      yield* TestClock.adjust("59 seconds")
      expect(retained.lookup(e.executionId)).toBe(e)
      yield* TestClock.adjust("2 seconds")
      expect(retained.lookup(e.executionId)).toBe(EXPIRED)
      expect(retained.lookup("never-seen")).toBeUndefined()
    }))

  it.scoped("over the count, the oldest finished goes first; running ones are never dropped", () =>
    Effect.gen(function*() {
      const { executions, retained } = yield* services({ retainedExecutions: 2 })
      const running = yield* create(executions, request(600_000))
      const done = [yield* create(executions, request(100))]
      yield* TestClock.adjust("200 millis")
      done.push(yield* create(executions, request(100)))
      yield* TestClock.adjust("200 millis")
      done.push(yield* create(executions, request(100)))
      yield* TestClock.adjust("200 millis")
      expect(retained.lookup(done[0]!.executionId)).toBe(EXPIRED)
      expect(retained.lookup(done[1]!.executionId)).toBe(done[1])
      expect(retained.lookup(done[2]!.executionId)).toBe(done[2])
      expect(retained.lookup(running.executionId)).toBe(running)
      expect(retained.size()).toMatchObject({ running: 1, finished: 2 })
    }))

  it.scoped("over the bytes, the oldest finished goes first", () =>
    Effect.gen(function*() {
      const { executions, retained } = yield* services({ retainedBytes: 3_000 })
      const big = (n: number) => ({ ...request(10), inputs: { text: "y".repeat(n) } })
      const first = yield* create(executions, big(1_000))
      yield* TestClock.adjust("20 millis")
      const second = yield* create(executions, big(1_000))
      yield* TestClock.adjust("20 millis")
      expect(retained.lookup(first.executionId)).toBe(EXPIRED)
      expect(retained.lookup(second.executionId)).toBe(second)
      expect(retained.size().bytes).toBeLessThanOrEqual(3_000)
    }))

  it.scoped("the list is newest first and pages by ordinal", () =>
    Effect.gen(function*() {
      const { executions, retained } = yield* services()
      const ids = []
      for (let i = 0; i < 5; i++) ids.push((yield* create(executions, request(10))).executionId)
      const page = retained.list(2, undefined)
      expect(page.map((e) => e.executionId)).toEqual([ids[4], ids[3]])
      expect(retained.list(2, page[1]!.ordinal).map((e) => e.executionId)).toEqual([ids[2], ids[1]])
    }))
})
