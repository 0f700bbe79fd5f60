/**
 * Demand-driven runs: `if`, `and`, `or`, `??` and `when` compute only the
 * operand they choose, so a call only an untaken operand needs never runs
 * and is reported skipped (`not_needed`) before the final event; `lazy`
 * calls wait until the value reading them has everything else.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { engineLayer, makeProbe } from "../support.js"
import { outputsAt, runTimed, skipped } from "./support.js"

describe("short-circuit", () => {
  it.effect("an if runs only the branch it takes, and is ready when that branch is", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in urgent: Boolean
answer = if (urgent) Work("fast", 10) else Work("slow", 500)
out answer`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { urgent: true })
      expect(outputsAt(events)).toEqual(["answer=\"fast\"@10"])
      expect(probe.started).toEqual(["fast"])
      expect(skipped(events)).toEqual(["Work:not_needed"])
      const last = events[events.length - 1]![1]
      expect(last._tag === "Output" && last.isFinal).toBe(true)
      const progress = events.filter(([, e]) => e._tag === "Progress").at(-1)![1]
      expect(progress._tag === "Progress" && [progress.completed, progress.total]).toEqual([2, 2])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a named value read only by the untaken branch does not run either", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in urgent: Boolean
slow = Work("slow", 500)
answer = if (urgent) "now" else slow
out answer`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { urgent: true })
      expect(outputsAt(events)).toEqual(["answer=\"now\"@0"])
      expect(probe.started).toEqual([])
      expect(skipped(events)).toEqual(["Work:not_needed"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("and, or, ?? and when evaluate their right side only when they need it", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in flag: Boolean
in name: Optional<String>
both = flag and Work("and", 10) == "and"
either = flag or Work("or", 20) == "or"
named = name ?? Work("coalesce", 30)
guarded = Work("when", 40) when flag
out both
out either
out named
out guarded`)
    return Effect.gen(function*() {
      const off = yield* runTimed(p, { flag: false, name: "Ada" })
      expect(outputsAt(off)).toEqual(["both=false@0", "guarded=null@0", "named=\"Ada\"@0", "either=true@20"])
      expect(probe.started).toEqual(["or"])
      expect(skipped(off).sort()).toEqual(["Work:not_needed", "Work:not_needed", "Work:not_needed"])
      probe.started.length = 0
      const on = yield* runTimed(p, { flag: true, name: null })
      expect(outputsAt(on)).toEqual(["either=true@0", "both=true@10", "named=\"coalesce\"@30", "guarded=\"when\"@40"])
      expect(probe.started.sort()).toEqual(["and", "coalesce", "when"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a failure in the branch not taken does not fail the if; in the branch taken it does", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in ok: Boolean
label = if (ok) "fine" else Fail("bad", 5)
out label`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { ok: true }))).toEqual(["label=\"fine\"@0"])
      expect(outputsAt(yield* runTimed(p, { ok: false }))).toEqual(["label!upstream_failed@5"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a fallback runs only when its call failed", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
a = Work("a", 10) with fallback: Work("fa", 5)
b = Fail("b", 10) with fallback: Work("fb", 5)
out a
out b`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { t: "x" })
      expect(outputsAt(events)).toEqual(["a=\"a\"@10", "b=\"fb\"@15"])
      expect(probe.started.sort()).toEqual(["a", "b", "fb"])
      expect(skipped(events)).toEqual(["Work:not_needed"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a skipped module's input failing reports upstream_failed, not not_needed", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
bad = Fail("bad", 5)
after = Work(bad, 10)
out after`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { t: "x" })
      expect(skipped(events)).toEqual(["Work:upstream_failed"])
    }).pipe(Effect.provide(env.layer))
  })
})

describe("lazy", () => {
  it.effect("a lazy argument is demanded only once the other arguments have values", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const eager = env.compile(`in t: String
both = Concat(Work("first", 100), Work("second", 100))
out both`)
    const lazy = env.compile(`in t: String
both = Concat(Work("first", 100), Work("second", 100) with lazy)
out both`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(eager, { t: "x" }))).toEqual(["both=\"firstsecond\"@100"])
      expect(outputsAt(yield* runTimed(lazy, { t: "x" }))).toEqual(["both=\"firstsecond\"@200"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a lazy call does not run when an earlier argument fails", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
both = Concat(Fail("first", 10), Work("second", 100) with lazy)
out both`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { t: "x" })
      expect(outputsAt(events)).toEqual(["both!upstream_failed@10"])
      expect(probe.started).toEqual(["first"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a lazy value read by an expression is computed when evaluation reaches it, once", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in go: Boolean
heavy = Work("heavy", 50) with lazy
a = if (go) heavy else "no"
b = if (go) heavy + "!" else "no"
out a
out b`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { go: true }))).toEqual(["a=\"heavy\"@50", "b=\"heavy!\"@50"])
      expect(probe.started).toEqual(["heavy"])
      const off = yield* runTimed(p, { go: false })
      expect(outputsAt(off)).toEqual(["a=\"no\"@0", "b=\"no\"@0"])
      expect(skipped(off)).toEqual(["Work:not_needed"])
    }).pipe(Effect.provide(env.layer))
  })
})
