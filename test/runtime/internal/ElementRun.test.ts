/**
 * Module calls made per element (inside lambdas and `match` arms), run by
 * ElementRun: order of results, concurrency under the engine's bound,
 * short-circuit of `all`/`any`, failures naming the element, the call
 * options per element, events, and interruption. Under the test clock.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Layer, Stream, TestClock } from "effect"
import { compile } from "../../../src/lang/compileSource.js"
import * as Module from "../../../src/modules/Module.js"
import { ModuleError } from "../../../src/modules/ModuleError.js"
import { makeRegistry, ModuleRegistry } from "../../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../../src/modules/stdlib/index.js"
import * as Engine from "../../../src/runtime/Engine.js"
import type { ExecutionEvent } from "../../../src/runtime/ExecutionEvent.js"
import * as Scheduler from "../../../src/runtime/Scheduler.js"
import { makeProbe, probeModules } from "../support.js"
import { outputsAt, runTimed, skipped } from "../options/support.js"

/** The probe modules (support.ts), and `Twice(n)`, a `Module.sync` module giving 2n (failing below 0) that records its calls. */
const envWith = (maxConcurrentModules = 1024) => {
  const probe = makeProbe()
  const calls: Array<number> = []
  const Twice = Module.sync({
    name: "Twice",
    description: "2n; fails below 0.",
    params: { n: Module.Int },
    result: Module.Int,
    run: ({ n }) => {
      calls.push(n)
      return n < 0 ? new ModuleError({ code: "negative", message: `Twice: ${n} is negative` }) : 2 * n
    }
  })
  const registry = makeRegistry([...makeStdlib(), ...probeModules(probe), Twice])
  const layer = Engine.layer.pipe(
    Layer.provideMerge(Scheduler.layerWith(maxConcurrentModules)),
    Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
  )
  const compileSource = (source: string) => {
    const r = compile(source, registry)
    if (Either.isLeft(r)) throw new Error(`does not compile: ${r.left.message}`)
    return r.right
  }
  return { probe, calls, layer, registry, compile: compileSource }
}

const moduleEvents = (events: ReadonlyArray<readonly [number, ExecutionEvent]>) =>
  events.flatMap(([t, e]) => {
    switch (e._tag) {
      case "ModuleStarted": return [`started ${e.module}@${t}`]
      case "ModuleCompleted": return [`completed ${e.module} calls=${e.calls ?? "-"}@${t}`]
      case "ModuleFailed": return [`failed ${e.module} element=${e.error.element ?? "-"}@${t}`]
      case "ModuleRetrying": return [`retrying ${e.module} element=${e.error.element ?? "-"} attempt=${e.attempt}@${t}`]
      default: return []
    }
  })

describe("calls per element", () => {
  it.effect("map keeps the list's order; elements wait concurrently", () => {
    const env = envWith()
    const p = env.compile(`in items: List<{label: String, ms: Int}>
labels = map(items, (i) => Work(i.label, i.ms))
out labels`)
    const items = [{ label: "a", ms: 300 }, { label: "b", ms: 100 }, { label: "c", ms: 200 }]
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { items })
      expect(outputsAt(events)).toEqual([`labels=["a","b","c"]@300`])
      expect(env.probe.finished).toEqual(["b", "c", "a"])
      expect(env.probe.maxRunning).toBe(3)
      expect(moduleEvents(events)).toEqual(["started Work@0", "completed Work calls=3@300"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("each call holds an engine permit: the engine's bound is respected", () => {
    const env = envWith(2)
    const p = env.compile(`in labels: List<String>
done = map(labels, (l) => Work(l, 100))
out done`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { labels: ["a", "b", "c", "d", "e"] })
      expect(outputsAt(events)).toEqual([`done=["a","b","c","d","e"]@300`])
      expect(env.probe.maxRunning).toBe(2)
      expect(env.probe.started).toEqual(["a", "b", "c", "d", "e"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a Module.sync call runs inline, once per element reached; filter, all and any short-circuit", () => {
    const env = envWith()
    const p = env.compile(`in xs: List<Int>
doubled = map(xs, (x) => Twice(x))
kept = filter(xs, (x) => x > 1 and Twice(x) > 4)
allSmall = all(xs, (x) => Twice(x) < 4)
anyBig = any(xs, (x) => Twice(x) > 2)
out doubled
out kept
out allSmall
out anyBig`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { xs: [1, 2, 3, 4] })
      expect(outputsAt(events).sort()).toEqual(["allSmall=false@0", "anyBig=true@0", "doubled=[2,4,6,8]@0", "kept=[3,4]@0"])
      // map: 4 calls; filter: 3 (x = 1 stops at `x > 1`); all: 2 (2 * 2 < 4 is false); any: 2 (2 * 2 > 2).
      expect(env.calls.length).toBe(4 + 3 + 2 + 2)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("any stops calling once decided: with one permit, elements after the deciding one never start", () => {
    const env = envWith(1)
    const p = env.compile(`in labels: List<String>
found = any(labels, (l) => Work(l, 10) == "hit")
out found`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { labels: ["a", "hit", "c", "d"] })
      expect(outputsAt(events)).toEqual(["found=true@20"])
      expect(env.probe.started).toEqual(["a", "hit"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("all interrupts the calls of elements after the deciding one, and waits for those before it", () => {
    const env = envWith()
    const p = env.compile(`in items: List<{label: String, ms: Int}>
ok = all(items, (i) => Work(i.label, i.ms) != "bad")
out ok`)
    const items = [{ label: "slow", ms: 100 }, { label: "bad", ms: 10 }, { label: "later", ms: 500 }]
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { items })
      expect(outputsAt(events)).toEqual(["ok=false@100"])
      expect(env.probe.finished).toEqual(["bad", "slow"])
      expect(env.probe.interrupted).toEqual(["later"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a failure names the element and the module; other outputs are kept", () => {
    const env = envWith()
    const p = env.compile(`in xs: List<Int>
in labels: List<String>
doubled = map(xs, (x) => Twice(x))
waited = map(labels, (l) => Work(l, 50))
out waited
out doubled`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { xs: [3, 1, -2, 5, -7], labels: ["a", "b"] })
      expect(outputsAt(events)).toEqual(["doubled!negative@0", `waited=["a","b"]@50`])
      const failed = events.find(([, e]) => e._tag === "OutputFailed")![1]
      expect(failed._tag === "OutputFailed" && failed.error).toEqual({
        code: "negative",
        message: "Twice failed on element 2 of the list (Twice: -2 is negative)",
        module: "Twice",
        element: 2
      })
      expect(env.calls).toEqual([3, 1, -2])
      expect(moduleEvents(events)).toContain("failed Twice element=2@0")
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("the first failing element by index decides, whichever fails first in time", () => {
    const env = envWith()
    const p = env.compile(`in items: List<{label: String, ms: Int, bad: Boolean}>
out r
r = map(items, (i) => if (i.bad) Fail(i.label, i.ms) else Work(i.label, i.ms))`)
    const items = [{ label: "a", ms: 10, bad: false }, { label: "b", ms: 200, bad: true }, { label: "c", ms: 50, bad: true }]
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { items })
      expect(outputsAt(events)).toEqual(["r!boom@200"])
      const failed = events.find(([, e]) => e._tag === "OutputFailed")![1]
      expect(failed._tag === "OutputFailed" && failed.error.element).toBe(1)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("retry, timeout and fallback apply per element; the fallback may read the element", () => {
    const env = envWith()
    const p = env.compile(`in items: List<{label: String, ms: Int}>
r = map(items, (i) => Work(i.label, i.ms) with timeout: 100ms, retry: 1, fallback: "late ${"$"}{i.label}")
out r`)
    const items = [{ label: "a", ms: 10 }, { label: "b", ms: 500 }]
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { items })
      expect(outputsAt(events)).toEqual([`r=["a","late b"]@200`])
      expect(moduleEvents(events)).toEqual([
        "started Work@0",
        "retrying Work element=1 attempt=2@100",
        "completed Work calls=2@200"
      ])
      expect(env.probe.interrupted).toEqual(["b", "b"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("concurrency on the call and the execution's own bound limit the elements at once", () => {
    const env = envWith()
    const limited = env.compile(`in labels: List<String>
r = map(labels, (l) => Work(l, 100) with concurrency: 1)
out r`)
    const plain = env.compile(`in labels: List<String>
r = map(labels, (l) => Work(l, 100))
out r`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(limited, { labels: ["a", "b", "c"] }))).toEqual([`r=["a","b","c"]@300`])
      expect(env.probe.maxRunning).toBe(1)
      const engine = yield* Engine.Engine
      const fiber = yield* Effect.fork(engine.run(plain, { labels: ["a", "b", "c", "d"] }, { concurrency: 2 }))
      yield* TestClock.adjust(1000)
      expect((yield* Fiber.join(fiber)).durationMs).toBe(200)
      expect(env.probe.maxRunning).toBe(2)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("cache on a call that waits: a later execution is served at once", () => {
    const env = envWith()
    const p = env.compile(`in labels: List<String>
r = map(labels, (l) => Work(l, 100) with cache: 1min)
out r`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { labels: ["a", "b"] }))).toEqual([`r=["a","b"]@100`])
      expect(outputsAt(yield* runTimed(p, { labels: ["b", "a", "c"] }))).toEqual([`r=["b","a","c"]@100`])
      expect(env.probe.started).toEqual(["a", "b", "c"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("on_error per element gives the failed elements their zero value", () => {
    const env = envWith()
    const p = env.compile(`in xs: List<Int>
r = map(xs, (x) => Twice(x) with on_error: skip)
out r`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { xs: [1, -1, 2] }))).toEqual(["r=[2,0,4]@0"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("cache per element: a repeated argument is called once, across executions too", () => {
    const env = envWith()
    const p = env.compile(`in xs: List<Int>
r = map(xs, (x) => Twice(x) with cache: 1min)
out r`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { xs: [1, 2, 1, 2, 3] }, 0))).toEqual(["r=[2,4,2,4,6]@0"])
      expect(env.calls).toEqual([1, 2, 3])
      expect(outputsAt(yield* runTimed(p, { xs: [3, 4] }, 0))).toEqual(["r=[6,8]@0"])
      expect(env.calls).toEqual([1, 2, 3, 4])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a call in a branch no element takes is reported skipped (not_needed)", () => {
    const env = envWith()
    const p = env.compile(`in xs: List<Int>
r = map(xs, (x) => if (x > 100) Twice(x) else x)
out r`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { xs: [1, 2] })
      expect(outputsAt(events)).toEqual(["r=[1,2]@0"])
      expect(skipped(events)).toEqual(["Twice:not_needed"])
      const progress = events.filter(([, e]) => e._tag === "Progress").at(-1)![1]
      expect(progress._tag === "Progress" && [progress.completed, progress.total]).toEqual([1, 1])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a match arm calls a module with its bindings, only when taken", () => {
    const env = envWith()
    const p = env.compile(`type Result = {value: Int} | {error: String}
in results: List<Result>
in one: Result
each = map(results, (r) => match r { {value} -> Twice(value), {error} -> 0 })
single = match one { {value} -> Twice(value), {error} -> -1 }
out each
out single`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, {
        results: [{ tag: "{value: Int}", value: { value: 4 } }, { tag: "{error: String}", value: { error: "x" } }],
        one: { tag: "{value: Int}", value: { value: 10 } }
      })
      expect(outputsAt(events).sort()).toEqual(["each=[8,0]@0", "single=20@0"])
      expect(env.calls.sort()).toEqual([10, 4].sort())
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("nested lambdas call per inner element", () => {
    const env = envWith()
    const p = env.compile(`in groups: List<List<String>>
r = map(groups, (g) => map(g, (l) => Work(l, 10)))
out r`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { groups: [["a", "b"], [], ["c"]] })
      expect(outputsAt(events)).toEqual([`r=[["a","b"],[],["c"]]@20`])
      expect(moduleEvents(events)).toEqual(["started Work@0", "completed Work calls=3@20"])
    }).pipe(Effect.provide(env.layer))
  })
})

/** Every element waits a second. */
const SLOW_MAP = `in labels: List<String>
r = map(labels, (l) => Work(l, 1000))
out r`

describe("interruption", () => {
  it.effect("interrupting the run interrupts every per-element call and runs its finalizers", () => {
    const env = envWith()
    const p = env.compile(SLOW_MAP)
    return Effect.gen(function*() {
      const engine = yield* Engine.Engine
      const fiber = yield* Effect.fork(engine.run(p, { labels: ["a", "b", "c"] }))
      yield* TestClock.adjust(10)
      expect(env.probe.running).toBe(3)
      yield* Fiber.interrupt(fiber)
      expect(env.probe.running).toBe(0)
      expect(env.probe.interrupted.sort()).toEqual(["a", "b", "c"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a consumer that stops early ends the per-element calls", () => {
    const env = envWith()
    const p = env.compile(`in labels: List<String>
quick = Work("quick", 5)
r = map(labels, (l) => Work(l, 1000))
out quick
out r`)
    return Effect.gen(function*() {
      const engine = yield* Engine.Engine
      const stream = yield* engine.runStreaming(p, { labels: ["a", "b"] })
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(stream, 1)))
      yield* TestClock.adjust(10)
      yield* Fiber.join(fiber)
      expect(env.probe.running).toBe(0)
      expect(env.probe.interrupted.sort()).toEqual(["a", "b"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a deadline ends the per-element calls with the execution's final error", () => {
    const env = envWith()
    const p = env.compile(SLOW_MAP)
    return Effect.gen(function*() {
      const engine = yield* Engine.Engine
      const fiber = yield* Effect.fork(engine.run(p, { labels: ["a", "b"] }, { deadline: "100 millis" }))
      yield* TestClock.adjust(200)
      const result = yield* Fiber.join(fiber)
      expect([result.status, result.errors["r"]?.code, result.outputStatus["r"], result.durationMs]).toEqual(["failed", "deadline_exceeded", "missing", 100])
      expect(env.probe.interrupted.sort()).toEqual(["a", "b"])
      expect(env.probe.running).toBe(0)
    }).pipe(Effect.provide(env.layer))
  })
})

describe("typing", () => {
  it("checks a call's arguments against the lambda's parameter type, at the argument", () => {
    const r = compile(`in xs: List<Int>\nr = map(xs, (x) => Uppercase(x))\nout r`, envWith().registry)
    expect(Either.isLeft(r) && r.left.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(["E402 2:30"])
  })
})
