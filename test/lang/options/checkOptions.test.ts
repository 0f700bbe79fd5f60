/**
 * The `with` options that change where and when a call runs: parsed,
 * checked with positioned diagnostics, and normalised into the module node.
 */
import { describe, expect, it } from "vitest"
import { compileProgram } from "../../../src/lang/buildDag.js"
import { check } from "../../../src/lang/checker/check.js"
import { sortDiagnostics } from "../../../src/lang/diagnostic.js"
import type { ModuleOptions } from "../../../src/lang/dag.js"
import { parse } from "../../../src/lang/parser.js"
import { printType } from "../../../src/lang/types.js"
import { testRegistry } from "../fixtures.js"

const diagnosticsOf = (source: string) => {
  const parsed = parse(source)
  return sortDiagnostics([...parsed.diagnostics, ...check(parsed.program, testRegistry).diagnostics])
}

const found = (source: string): Array<string> => diagnosticsOf(source).map((d) => `${d.code} ${d.line}:${d.column}`)

const optionsOf = (withClause: string): ModuleOptions => {
  const parsed = parse(`in t: String\nx = Uppercase(t) with ${withClause}\nout x`)
  const result = check(parsed.program, testRegistry)
  expect([...parsed.diagnostics, ...result.diagnostics].map((d) => `${d.code} ${d.message}`)).toEqual([])
  return compileProgram(result.checked).modules[0]!.options
}

describe("scheduling options", () => {
  it("normalises each option into the module node", () => {
    expect(optionsOf("cache: 15min")).toEqual({ cacheMs: 900_000 })
    expect(optionsOf("cache: 1d, cache_backend: \"memory\"")).toEqual({ cacheMs: 86_400_000 })
    expect(optionsOf("throttle: 100/1min")).toEqual({ throttle: { count: 100, perMs: 60_000 } })
    expect(optionsOf("concurrency: 2")).toEqual({ concurrency: 2 })
    expect(optionsOf("on_error: skip")).toEqual({ onError: "skip" })
    expect(optionsOf("on_error: propagate")).toEqual({})
    expect(optionsOf("lazy")).toEqual({ lazy: true })
    expect(optionsOf("lazy: true")).toEqual({ lazy: true })
    expect(optionsOf("lazy: false")).toEqual({})
    expect(optionsOf("priority: critical")).toEqual({ priority: 100 })
    expect(optionsOf("priority: background")).toEqual({ priority: 0 })
    expect(optionsOf("priority: 70")).toEqual({ priority: 70 })
  })

  it("reads a flag among other options, in any place", () => {
    expect(optionsOf("retry: 2, lazy, priority: low")).toEqual({ retry: 2, lazy: true, priority: 20 })
    expect(optionsOf("lazy, timeout: 1s")).toEqual({ lazy: true, timeoutMs: 1000 })
  })

  it("keeps a comma after a call in a list for the list", () => {
    const parsed = parse("in t: String\nx = [Uppercase(t) with lazy, t]\nout x")
    expect(parsed.diagnostics).toEqual([])
  })

  it("types a wrapped call as an Either-like record", () => {
    const parsed = parse("in t: String\nx = Uppercase(t) with on_error: wrap\ny = if (x.isRight) x.right ?? \"\" else \"failed\"\nout y")
    const result = check(parsed.program, testRegistry)
    expect(result.diagnostics).toEqual([])
    const x = result.checked.assignments.find((a) => a.name === "x")!
    expect(printType(x.type)).toBe("{isRight: Boolean, right: Optional<String>, left: Optional<{code: String, message: String, module: Optional<String>}>}")
  })

  it.each([
    ["an unknown backend", "cache: 1s, cache_backend: \"redis\"", ["E404 2:49"], "only the in-memory backend"],
    ["a backend without cache", "cache_backend: \"memory\"", ["E422 2:23"], "no `cache`"],
    ["a cache without a unit", "cache: 5", ["E404 2:30"], "positive duration"],
    ["a throttle that is not a rate", "throttle: 100", ["E404 2:33"], "a rate"],
    ["a throttle of zero calls", "throttle: 0/1s", ["E404 2:33"], "1 or more"],
    ["zero concurrency", "concurrency: 0", ["E404 2:36"], "1 or more"],
    ["an unknown strategy", "on_error: ignore", ["E404 2:33"], "propagate, skip, log, wrap"],
    ["wrap with a fallback", "on_error: wrap, fallback: \"x\"", ["E422 2:23"], "cannot go together"],
    ["an unknown priority", "priority: urgent", ["E404 2:33"], "critical, high"],
    ["a priority out of range", "priority: 101", ["E404 2:33"], "0 (background) to 100"],
    ["lazy with a word", "lazy: yes", ["E404 2:29"], "`true` or `false`"],
    ["an option with no value", "retry", ["E104 2:28"], "Expected ':'"],
    ["an option given twice", "lazy, lazy", ["E405 2:29"], "twice"]
  ])("reports %s", (_title, clause, at, message) => {
    const source = `in t: String\nx = Uppercase(t) with ${clause}\nout x`
    expect(found(source)).toEqual(at)
    expect(diagnosticsOf(source)[0]!.message).toContain(message)
  })

  it("suggests the nearest priority level and strategy", () => {
    expect(diagnosticsOf("in t: String\nx = Uppercase(t) with priority: hihg\nout x")[0]!.hint).toContain("high")
    expect(diagnosticsOf("in t: String\nx = Uppercase(t) with on_error: skp\nout x")[0]!.hint).toContain("skip")
  })

  it("keeps the unknown-option diagnostic, naming the new options", () => {
    const d = diagnosticsOf("in t: String\nx = Uppercase(t) with cach: 1s\nout x")[0]!
    expect(d.code).toBe("E403")
    expect(d.hint).toContain("cache")
  })
})

describe("annotations", () => {
  it("reports @source and @sink with their reason (E130)", () => {
    const d = diagnosticsOf("@source(\"kafka\")\nin t: String\nout t")
    expect(d.map((x) => `${x.code} ${x.line}:${x.column}`)).toEqual(["E130 1:1"])
    expect(d[0]!.message).toContain("@source is not supported")
    expect(diagnosticsOf("@sink\nin t: String\nout t")[0]!.message).toContain("@sink is not supported")
    expect(diagnosticsOf("@deprecated\nin t: String\nout t")[0]!.message).toContain("no annotation @deprecated")
  })
})
