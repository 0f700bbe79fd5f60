/**
 * `on_error`: `skip` and `log` give the zero value of the call's type in
 * place of a failure, `wrap` gives every outcome as an Either-like record,
 * `propagate` (the default) fails the value.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { engineLayer, makeProbe } from "../support.js"
import { outputsAt, runTimed } from "./support.js"

describe("on_error", () => {
  it.effect("skip and log give zero values, wrap an Either-like record, propagate the failure", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
skipped = Fail("s", 5) with on_error: skip
counted = TextLength(Fail("l", 5) with on_error: log)
wrapped = Fail("w", 5) with on_error: wrap
fine = Work("ok", 5) with on_error: wrap
message = if (wrapped.isRight) "ok" else "failed"
propagated = Fail("p", 5) with on_error: propagate
out skipped
out counted
out wrapped
out fine
out message
out propagated`)
    return Effect.gen(function*() {
      const events = yield* runTimed(p, { t: "x" })
      expect(outputsAt(events).sort()).toEqual([
        "counted=0@5",
        "fine={\"isRight\":true,\"right\":\"ok\",\"left\":null}@5",
        "message=\"failed\"@5",
        "propagated!boom@5",
        "skipped=\"\"@5",
        "wrapped={\"isRight\":false,\"right\":null,\"left\":{\"code\":\"boom\",\"message\":\"w failed\",\"module\":\"Fail\"}}@5"
      ])
      const fromFallback = events.flatMap(([, e]) => (e._tag === "Output" && e.fromFallback ? [e.name] : []))
      expect(fromFallback.sort()).toEqual(["skipped"])
      expect(events.filter(([, e]) => e._tag === "ModuleFailed")).toHaveLength(4)
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("a fallback takes precedence over skip", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
x = Fail("s", 5) with on_error: skip, fallback: "fb"
out x`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { t: "x" }))).toEqual(["x=\"fb\"@5"])
    }).pipe(Effect.provide(env.layer))
  })

  it.effect("zero values of records and lists; a failed argument still fails the call", () => {
    const probe = makeProbe()
    const env = engineLayer(probe)
    const p = env.compile(`in t: String
xs = Delay([1, 2], -1) with on_error: skip
user = Delay({name: "Ada", age: 36, tags: ["x"], nick: "A" when false}, -1) with on_error: skip
after = Uppercase(Fail("u", 5)) with on_error: skip
out xs
out user
out after`)
    return Effect.gen(function*() {
      expect(outputsAt(yield* runTimed(p, { t: "x" }))).toEqual([
        "xs=[]@0",
        "user={\"name\":\"\",\"age\":0,\"tags\":[],\"nick\":null}@0",
        "after!upstream_failed@5"
      ])
    }).pipe(Effect.provide(env.layer))
  })
})
