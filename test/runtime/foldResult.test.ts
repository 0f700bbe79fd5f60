/**
 * The batch fold: a list of output names folded again and again (a plan's)
 * takes copies of per-list templates when every output succeeded in
 * declaration order; the result must be the one the general fold gives (a
 * list folded once), key order and own `__proto__` fields included.
 */
import { describe, expect, it } from "vitest"
import type { ErrorInfo, ExecutionEvent } from "../../src/runtime/ExecutionEvent.js"
import { foldResult } from "../../src/runtime/foldResult.js"

const base = { executionId: "x", seq: 0, timestamp: 0 }
const ok = (name: string, value: string, fromFallback = false): ExecutionEvent =>
  ({ _tag: "Output", ...base, name, value, fromFallback, isFinal: false })
const failed = (name: string): ExecutionEvent =>
  ({ _tag: "OutputFailed", ...base, name, error: { code: "boom", message: "boom", module: "M" }, isFinal: false })
const error: ErrorInfo = { code: "cancelled", message: "stopped", module: null }
const stopped = (missing: ReadonlyArray<string>): ExecutionEvent =>
  ({ _tag: "ExecutionFailed", ...base, error, missing, isFinal: true })

/** Own entries in order, and the prototype, of each record of a result. */
const shape = (r: ReturnType<typeof foldResult>) => ({
  status: r.status,
  records: [r.outputs, r.errors, r.outputStatus].map((rec) => ({
    entries: Object.getOwnPropertyNames(rec).map((k) => [k, Object.getOwnPropertyDescriptor(rec, k)?.value]),
    proto: Object.getPrototypeOf(rec) === Object.prototype
  }))
})

const names = ["a", "__proto__", "c", "constructor", "e"]
const scenarios: ReadonlyArray<readonly [string, ReadonlyArray<ExecutionEvent>]> = [
  ["all in order", names.map((n) => ok(n, n.toUpperCase()))],
  ["all, out of order", [...names].reverse().map((n) => ok(n, n.toUpperCase()))],
  ["one from a fallback", names.map((n, i) => ok(n, n, i === 2))],
  ["one failed", names.map((n, i) => (i === 1 ? failed(n) : ok(n, n)))],
  ["stopped early", [ok("a", "A"), ok("__proto__", "P"), stopped(["c", "constructor", "e"])]],
  ["with module events between", names.flatMap((n) => [
    { _tag: "ModuleCompleted", ...base, module: "M", node: 0, latencyMs: 1 } as ExecutionEvent,
    ok(n, n)
  ])]
]

describe("foldResult", () => {
  for (const [label, events] of scenarios) {
    it(`${label}: folding the same list of names again gives what a fresh list gives`, () => {
      const reference = shape(foldResult("x", [...names], events, 1))
      const plan = [...names]
      for (let i = 0; i < 4; i++) expect(shape(foldResult("x", plan, events, 1))).toEqual(reference)
    })
  }

  it("a copy is the caller's own: changing one result does not change the next", () => {
    const plan = ["a", "b"]
    const events = [ok("a", "A"), ok("b", "B")]
    for (let i = 0; i < 3; i++) {
      const r = foldResult("x", plan, events, 1)
      expect(r.outputs).toEqual({ a: "A", b: "B" })
      expect(r.outputStatus).toEqual({ a: "succeeded", b: "succeeded" })
      expect(r.errors).toEqual({})
      ;(r.outputs as Record<string, unknown>)["a"] = "changed"
      ;(r.outputStatus as Record<string, unknown>)["b"] = "failed"
      ;(r.errors as Record<string, unknown>)["c"] = error
    }
  })

  it("the whole result of 1,000 outputs, folded many times, holds every value under its name", () => {
    const plan = Array.from({ length: 1000 }, (_, i) => `w${i}`)
    const events = plan.map((n) => ok(n, n.toUpperCase()))
    for (let i = 0; i < 3; i++) {
      const r = foldResult("x", plan, events, 1)
      expect(Object.keys(r.outputs)).toEqual(plan)
      expect(Object.values(r.outputs)).toEqual(plan.map((n) => n.toUpperCase()))
      expect(new Set(Object.values(r.outputStatus))).toEqual(new Set(["succeeded"]))
      expect(r.status).toBe("completed")
    }
  })
})
