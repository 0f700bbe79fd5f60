/**
 * The original standard library's functions called directly: the edges
 * the reference documents, and the safe-integer rules that replace its
 * 64-bit wrap-around.
 */
import { Effect, Exit, Logger } from "effect"
import { describe, expect, it } from "vitest"
import type { Value } from "../../src/lang/value.js"
import type { Module } from "../../src/modules/Module.js"
import { ModuleError } from "../../src/modules/ModuleError.js"
import { originalModules } from "../../src/modules/stdlib/original/index.js"
import { intrinsicNames } from "../../src/lang/namespaces/intrinsics.js"

const MAX = Number.MAX_SAFE_INTEGER
const byName = new Map(originalModules.map((m) => [m.name, m]))

const call = (name: string, ...args: ReadonlyArray<Value>): Value | ModuleError => {
  const m: Module<never> | undefined = byName.get(name)
  if (m === undefined) throw new Error(`no ${name}`)
  if (m.implementation._tag !== "Sync") throw new Error(`${name} is not sync`)
  return m.implementation.run(args)
}
const code = (r: unknown): string | undefined => (r instanceof ModuleError ? r.code : undefined)

describe("the original standard library", () => {
  it("has every function the reference lists, under its namespace", () => {
    const names = originalModules.map((m) => m.name)
    expect(names).toHaveLength(39)
    for (const f of ["add", "subtract", "multiply", "divide", "max", "min", "abs", "modulo", "round", "negate"]) expect(names).toContain(`stdlib.math.${f}`)
    for (const f of ["concat", "string-length", "join", "split", "contains", "trim", "replace"]) expect(names).toContain(`stdlib.string.${f}`)
    for (const f of ["eq-int", "eq-string", "gt", "lt", "gte", "lte"]) expect(names).toContain(`stdlib.compare.${f}`)
    for (const f of ["and", "or", "not"]) expect(names).toContain(`stdlib.bool.${f}`)
    for (const f of ["length", "first", "last", "is-empty", "sum", "concat", "contains", "reverse"]) expect(names).toContain(`stdlib.list.list-${f}`)
    for (const f of ["to-string", "to-int", "to-float"]) expect(names).toContain(`stdlib.convert.${f}`)
    expect(names).toContain("stdlib.identity")
    expect(names).toContain("stdlib.debug.log")
    expect([...intrinsicNames]).toEqual(["stdlib.collection.filter", "stdlib.collection.map", "stdlib.collection.all", "stdlib.collection.any"])
  })

  it("math: exact results inside the safe range, int_overflow outside it", () => {
    expect(call("stdlib.math.add", MAX - 1, 1)).toBe(MAX)
    expect(code(call("stdlib.math.add", MAX, 1))).toBe("int_overflow")
    expect(code(call("stdlib.math.subtract", -MAX, 1))).toBe("int_overflow")
    expect(code(call("stdlib.math.multiply", 94906267, 94906267))).toBe("int_overflow")
    expect(call("stdlib.math.multiply", -4, 0)).toBe(0)
    expect(Object.is(call("stdlib.math.multiply", -4, 0), -0)).toBe(false)
    expect(call("stdlib.math.abs", -MAX)).toBe(MAX)
    expect(Object.is(call("stdlib.math.negate", 0), 0)).toBe(true)
  })

  it("math: division truncates toward zero exactly, and by zero fails", () => {
    expect(call("stdlib.math.divide", 7, 3)).toBe(2)
    expect(call("stdlib.math.divide", -10, 3)).toBe(-3)
    expect(call("stdlib.math.divide", MAX, 2)).toBe(4503599627370495)
    expect(call("stdlib.math.divide", MAX - 1, 3)).toBe(3002399751580330)
    expect(Object.is(call("stdlib.math.divide", -1, 2), 0)).toBe(true)
    expect(call("stdlib.math.modulo", -7, 3)).toBe(-1)
    const byZero = call("stdlib.math.divide", 7, 0)
    expect(code(byZero)).toBe("division_by_zero")
    expect((byZero as ModuleError).message).toBe("stdlib.math.divide: division by zero (7 / 0)")
    expect(code(call("stdlib.math.modulo", 7, 0))).toBe("division_by_zero")
  })

  it("math: round halves up, to-int truncates, both refuse results outside Int", () => {
    expect([3.5, -2.5, -2.7, 2.4].map((x) => call("stdlib.math.round", x))).toEqual([4, -2, -3, 2])
    expect([3.7, -3.7, 0].map((x) => call("stdlib.convert.to-int", x))).toEqual([3, -3, 0])
    expect(code(call("stdlib.math.round", 1e16))).toBe("int_overflow")
    expect(code(call("stdlib.convert.to-int", -1e300))).toBe("int_overflow")
  })

  it("string: the edges the reference documents", () => {
    expect(call("stdlib.string.split", "a,b,", ",")).toEqual(["a", "b", ""])
    expect(call("stdlib.string.split", "abc", "")).toEqual(["abc"])
    expect(call("stdlib.string.split", "a.b", ".")).toEqual(["a", "b"])
    expect(call("stdlib.string.join", [], ",")).toBe("")
    expect(call("stdlib.string.join", ["only"], ",")).toBe("only")
    expect(call("stdlib.string.replace", "aaa", "a", "b")).toBe("bbb")
    expect(call("stdlib.string.replace", "a.c", ".", "$&$1")).toBe("a$&$1c")
    expect(call("stdlib.string.replace", "ab", "", "-")).toBe("-a-b-")
    expect(call("stdlib.string.contains", "", "")).toBe(true)
    expect(call("stdlib.string.string-length", "日本語")).toBe(3)
    expect(call("stdlib.string.trim", "   ")).toBe("")
  })

  it("list: generic over the element type; sum refuses overflow even when it would come back into range", () => {
    expect(call("stdlib.list.list-contains", [{ a: 1, b: [2] }], { b: [2], a: 1 })).toBe(true)
    expect(call("stdlib.list.list-contains", [{ a: 1 }], { a: 1, b: 2 })).toBe(false)
    expect(call("stdlib.list.list-contains", [[1, 2]], [1])).toBe(false)
    expect(call("stdlib.list.list-reverse", ["a", "b"])).toEqual(["b", "a"])
    expect(code(call("stdlib.list.list-first", []))).toBe("empty_list")
    expect(code(call("stdlib.list.list-last", []))).toBe("empty_list")
    expect(code(call("stdlib.list.list-sum", [MAX, 1, -1]))).toBe("int_overflow")
    expect(call("stdlib.list.list-sum", [])).toBe(0)
  })

  it("log writes the value to the engine's log and returns it", async () => {
    const log = byName.get("stdlib.debug.log")!
    if (log.implementation._tag !== "Effect") throw new Error("log is an effect")
    const lines: Array<unknown> = []
    const logger = Logger.make(({ message }) => lines.push(message))
    const exit = await Effect.runPromiseExit(
      log.implementation.run([{ a: 1 }]).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    )
    expect(exit).toEqual(Exit.succeed({ a: 1 }))
    expect(lines).toEqual([["[constellation-lang] {\"a\":1}"]])
  })
})
