/**
 * The CLI's pure parts, one line per case: diagnostics, inputs from the
 * command line, the lines of a run, the progress line.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { formatDiagnostic, formatDiagnostics } from "../../src/cli/formatDiagnostic.js"
import { buildInputs, coerce, parseInputsFile, withExamples } from "../../src/cli/inputs.js"
import { makeProgressTracker } from "../../src/cli/ProgressTracker.js"
import { formatElapsed, formatExampleNote, formatJsonLine, formatResult, formatSummary } from "../../src/cli/render.js"
import type { StreamEvent } from "../../src/client/StreamEvent.js"
import type { Value } from "../../src/lang/value.js"

const diagnostic = { code: "E300", message: "Type mismatch.", line: 2, column: 5, endLine: 2, endColumn: 8 }

describe("formatDiagnostic", () => {
  it("puts a caret under the span", () =>
    expect(formatDiagnostic("p.cst", "in a: Int\nx = a + \"s\"\n", diagnostic).split("\n")).toEqual([
      "p.cst:2:5: error E300: Type mismatch.",
      "  2 | x = a + \"s\"",
      "    |     ^^^"
    ]))
  it("keeps tabs so the caret lines up", () =>
    expect(formatDiagnostic("p.cst", "\n\tx = 1\n", { ...diagnostic, column: 2, endColumn: 3 }).split("\n")[2]).toBe("    | \t^"))
  it("runs a multi-line span to the end of its first line", () =>
    expect(formatDiagnostic("p.cst", "a\nxyz(\n)\n", { ...diagnostic, column: 1, endLine: 3, endColumn: 2 }).split("\n")[2]).toBe("    | ^^^^"))
  it("shows one caret for an empty span at the end of a line", () =>
    expect(formatDiagnostic("p.cst", "a\nx = 1 +", { ...diagnostic, column: 8, endColumn: 8 }).split("\n")[2]).toBe("    |        ^"))
  it("widens the gutter for long line numbers and adds the hint", () =>
    expect(formatDiagnostic("p.cst", `${"\n".repeat(11)}oops`, { ...diagnostic, line: 12, column: 1, endLine: 12, endColumn: 5, hint: "try this" })
      .split("\n")).toEqual(["p.cst:12:1: error E300: Type mismatch.", "  12 | oops", "     | ^^^^", "     = hint: try this"]))
  it("prints only the header for a line past the end of the source", () =>
    expect(formatDiagnostic("p.cst", "a", { ...diagnostic, line: 9 })).toBe("p.cst:9:5: error E300: Type mismatch."))
  it("counts the errors", () =>
    expect(formatDiagnostics("p.cst", "", [diagnostic, diagnostic]).endsWith("\n\n2 errors")).toBe(true))
})

describe("inputs", () => {
  it("keeps a String input's value as it is", () => expect(coerce("String", "42")).toBe("42"))
  it("reads other types as JSON", () => expect(coerce("List<Int>", "[1, 2]")).toEqual([1, 2]))
  it("passes text that is not JSON on as a string, for the type check to explain", () => expect(coerce("Int", "abc")).toBe("abc"))
  it("splits at the first =, and the flags override the file", () =>
    expect(buildInputs({ q: "String", n: "Int" }, { q: "file", other: true }, ["q=a=b", "n=3"])).toEqual(
      Either.right({ q: "a=b", other: true, n: 3 })
    ))
  it("refuses an --input without a name", () =>
    expect(Either.getLeft(buildInputs({}, {}, ["=x"])).pipe((e) => e._tag === "Some" && e.value.exitCode)).toBe(2))
  it("gives an input not given its @example, in declaration order, and says which", () =>
    expect(withExamples({ b: 1 }, ["c", "b", "a", "d"], new Map<string, Value>([["a", "x"], ["b", 2], ["c", [true]]]))).toEqual({
      inputs: { b: 1, c: [true], a: "x" },
      fromExamples: [["c", [true]], ["a", "x"]]
    }))
  it("counts an input given as null as given", () =>
    expect(withExamples({ a: null }, ["a"], new Map([["a", "x"]])).fromExamples).toEqual([]))
  it("names the inputs that took their @example on one line", () =>
    expect(formatExampleNote([["query", "constellation"], ["n", 3]]))
      .toBe("note: query = \"constellation\", n = 3 from @example (not given with --input or --inputs)"))
  it("shortens a long @example in the note", () =>
    expect(formatExampleNote([["t", "x".repeat(100)]])).toBe(`note: t = "${"x".repeat(38)}… from @example (not given with --input or --inputs)`))
  it("wants an object in an --inputs file", () =>
    expect(Either.isLeft(parseInputsFile("i.json", "[1]")) && Either.isLeft(parseInputsFile("i.json", "{"))).toBe(true))
})

const base = { executionId: "x", seq: 0, timestamp: 0 }
const error = { code: "boom", message: "it broke", module: "Delay" }

describe("the lines of a run", () => {
  it("aligns the elapsed time", () => expect(formatElapsed(5)).toBe("[     5 ms]"))
  it("prints an output", () =>
    expect(formatResult({ event: "output", data: { ...base, name: "a", value: [1, "x"], isFinal: false, fromFallback: false } }, 12)).toBe("[    12 ms] a = [1,\"x\"]"))
  it("prints a failed output", () =>
    expect(formatResult({ event: "error", data: { ...base, name: "b", error, isFinal: false } }, 3)).toBe("[     3 ms] b FAILED boom: it broke (in Delay)"))
  it("prints the end of an execution", () =>
    expect(formatResult({ event: "error", data: { executionId: "x", seq: 1, timestamp: 0, error: { ...error, module: null }, missing: ["c"], isFinal: true } }, 9))
      .toBe("[     9 ms] execution ended early: boom: it broke; missing: c"))
  it("prints nothing of progress", () =>
    expect(formatResult({ event: "progress", data: { ...base, completed: 1, total: 2 } }, 1)).toBeUndefined())
  it("writes JSON lines", () =>
    expect(JSON.parse(formatJsonLine({ event: "progress", data: { ...base, completed: 1, total: 2 } }, 1.4))).toEqual({
      event: "progress",
      elapsedMs: 1,
      data: { ...base, completed: 1, total: 2 }
    }))
  it("sums up", () =>
    expect(formatSummary({ executionId: "x", status: "partial", outputs: { a: 1 }, errors: { b: error }, outputStatus: { a: "succeeded", b: "failed" }, durationMs: 0 }, 7.2))
      .toBe("1 of 2 outputs succeeded, 1 failed in 7 ms"))
})

describe("the progress line", () => {
  it("counts modules done and names the running ones", () => {
    const tracker = makeProgressTracker()
    const events: Array<StreamEvent> = [
      { event: "module-started", data: { ...base, module: "Delay", node: 1 } },
      { event: "module-started", data: { ...base, module: "Delay", node: 2 } },
      { event: "module-started", data: { ...base, module: "WordCount", node: 3 } },
      { event: "module-completed", data: { ...base, module: "WordCount", node: 3, latencyMs: 1 } },
      { event: "progress", data: { ...base, completed: 1, total: 3 } }
    ]
    expect(events.map((e) => tracker.add(e))).toEqual([true, true, true, true, true])
    expect(tracker.line()).toBe("1/3 modules done · running: Delay ×2")
    expect(tracker.add({ event: "output", data: { ...base, name: "a", value: 1, isFinal: false, fromFallback: false } })).toBe(false)
  })
})
