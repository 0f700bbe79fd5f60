import { describe, expect, it } from "vitest"
import { check } from "../../src/lang/checker/check.js"
import type { CheckResult } from "../../src/lang/checker/check.js"
import { sortDiagnostics } from "../../src/lang/diagnostic.js"
import type { DiagnosticCode } from "../../src/lang/diagnostic.js"
import { parse } from "../../src/lang/parser.js"
import { printType } from "../../src/lang/types.js"
import { testRegistry } from "./fixtures.js"

const checkSource = (source: string): CheckResult => {
  const parsed = parse(source)
  expect(parsed.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([])
  return check(parsed.program, testRegistry)
}

/** The diagnostics of a source as `E201 2:1`, sorted by position. */
const found = (source: string): Array<string> =>
  sortDiagnostics(checkSource(source).diagnostics).map((d) => `${d.code} ${d.line}:${d.column}`)

const typeOf = (source: string, name: string): string => {
  const result = checkSource(source)
  expect(result.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`)).toEqual([])
  const assignment = result.checked.assignments.find((a) => a.name === name)
  if (assignment === undefined) throw new Error(`no assignment ${name}`)
  return printType(assignment.type)
}

interface Case {
  readonly code: DiagnosticCode
  readonly title: string
  readonly source: string
  readonly at: ReadonlyArray<string>
  /** Text the first diagnostic's message must contain. */
  readonly message?: string
  readonly hint?: string
}

const cases: ReadonlyArray<Case> = [
  { code: "E200", title: "unknown variable", source: "in text: String\nr = Uppercase(txt)\nout r", at: ["E200 2:15"], message: "`txt`", hint: "did you mean `text`?" },
  { code: "E200", title: "a subtraction without spaces", source: "in a: Int\nin b-c: Int\nx = a-b-c\nout x", at: ["E200 3:5"], message: "joins them into one name", hint: "`a - b-c`" },
  { code: "E200", title: "a name minus a number", source: "in n: Int\nx = n-1\nout x", at: ["E200 2:5"], hint: "`n - 1`" },
  { code: "E200", title: "a dashed name that is no subtraction", source: "in a: Int\nx = a-z\nout x", at: ["E200 2:5"], message: "Declare it as an input" },
  { code: "E201", title: "duplicate definition", source: "in x: Int\nx = 1\nout x", at: ["E201 2:1"], message: "line 1" },
  { code: "E201", title: "duplicate type alias", source: "type T = Int\ntype T = String\nin x: T\nout x", at: ["E201 2:6"], message: "line 1" },
  { code: "E201", title: "alias of a built-in name", source: "type Int = String\nin x: Int\nout x", at: ["E201 1:6"], message: "built-in" },
  { code: "E202", title: "cycle between assignments", source: "in x: Int\na = b + x\nb = a + 1\nout a", at: ["E202 2:1"], message: "a -> b -> a" },
  { code: "E202", title: "self reference", source: "a = a + 1\nout a", at: ["E202 1:1"], message: "a -> a" },
  { code: "E203", title: "output of an undeclared name", source: "in text: String\nout txt", at: ["E203 2:5"], hint: "did you mean `text`?" },
  { code: "E204", title: "no outputs", source: "in x: Int", at: ["E204 1:1"] },
  { code: "E205", title: "unknown type", source: "in x: Strng\nout x", at: ["E205 1:7"], hint: "did you mean `String`?" },
  { code: "E206", title: "duplicate record field", source: "r = {a: 1, a: 2}\nout r", at: ["E206 1:12"], message: "first at 1:6" },
  { code: "E206", title: "duplicate record type field", source: "in r: {a: Int, a: Int}\nout r", at: ["E206 1:16"] },
  { code: "E207", title: "the same output twice", source: "in x: Int\nout x\nout x", at: ["E207 3:5"], message: "line 2" },
  { code: "E208", title: "alias cycle", source: "type A = List<B>\ntype B = {a: A}\nin x: A\nout x", at: ["E208 1:6"], message: "A -> B -> A" },
  { code: "E209", title: "null in an example", source: "@example(null)\nin s: Optional<String>\nout s", at: ["E209 1:10"], message: "no literal for a missing value", hint: "In an @example" },
  { code: "E209", title: "null in an expression", source: "in s: Optional<String>\nx = s ?? null\nout x", at: ["E209 2:10"], hint: "`x when false`" },
  { code: "E300", title: "field of a non-record", source: "in n: Int\ny = n.name\nout y", at: ["E300 2:7"], message: "Int" },
  { code: "E301", title: "unknown field", source: "u = LookupUser(\"1\")\nn = u.nam\nout n", at: ["E301 2:7"], message: "Available fields: name, age", hint: "did you mean `name`?" },
  { code: "E301", title: "unknown field of list elements", source: "n = Users().nme\nout n", at: ["E301 1:13"] },
  { code: "E302", title: "arithmetic on a String", source: "in s: String\nin n: Int\nx = s - n\nout x", at: ["E302 3:7"], message: "String and Int" },
  { code: "E302", title: "String + Int", source: "in s: String\nx = s + 1\nout x", at: ["E302 2:7"], hint: "interpolation" },
  { code: "E302", title: "and on an Int", source: "in n: Int\nx = n and true\nout x", at: ["E302 2:5"], message: "Boolean" },
  { code: "E302", title: "not on a String", source: "in s: String\nx = not s\nout x", at: ["E302 2:9"] },
  { code: "E302", title: "?? default of the wrong type", source: "in s: String\nx = ParseNumber(s) ?? \"none\"\nout x", at: ["E302 2:23"], message: "must be Int" },
  { code: "E303", title: "if condition not Boolean", source: "in n: Int\nx = if (n) 1 else 2\nout x", at: ["E303 2:9"] },
  { code: "E303", title: "when condition not Boolean", source: "in n: Int\nx = n when n\nout x", at: ["E303 2:12"] },
  { code: "E304", title: "if branches without a common type", source: "in b: Boolean\nx = if (b) 1 else \"one\"\nout x", at: ["E304 2:19"], message: "Int" },
  { code: "E305", title: "?? on a value that is never missing", source: "in n: Int\nx = n ?? 0\nout x", at: ["E305 2:5"] },
  { code: "E306", title: "declared output type", source: "in n: Int\nout n: String", at: ["E306 2:8"], message: "String" },
  { code: "E307", title: "list elements without a common type", source: "x = [1, \"two\", 3]\nout x", at: ["E307 1:9"] },
  { code: "E308", title: "example of the wrong type", source: "@example(\"five\")\nin n: Int\nout n", at: ["E308 1:10"], message: "Int" },
  { code: "E309", title: "== on incompatible types", source: "in n: Int\nx = n == \"a\"\nout x", at: ["E309 2:7"] },
  { code: "E309", title: "< on Booleans", source: "x = true < false\nout x", at: ["E309 1:10"] },
  { code: "E400", title: "unknown module", source: "in t: String\nx = Upercase(t)\nout x", at: ["E400 2:5"], hint: "did you mean `Uppercase`?" },
  { code: "E401", title: "too many arguments", source: "x = Uppercase(\"a\", \"b\")\nout x", at: ["E401 1:5"], message: "Uppercase takes 1 argument (text: String) but got 2." },
  { code: "E401", title: "too few arguments", source: "x = Add(1)\nout x", at: ["E401 1:5"], message: "Add takes 2 arguments (a: Int, b: Int) but got 1." },
  { code: "E402", title: "argument of the wrong type", source: "x = Uppercase(1)\nout x", at: ["E402 1:15"], message: "must be String, but it is Int" },
  { code: "E402", title: "generic arguments that disagree", source: "x = Pair(1, \"a\")\nout x", at: ["E402 1:13"] },
  { code: "E402", title: "record missing a field", source: "x = Greet({nom: \"a\"})\nout x", at: ["E402 1:11"] },
  { code: "E403", title: "unknown option", source: "x = Uppercase(\"a\") with retries: 3\nout x", at: ["E403 1:25"], message: "timeout, retry", hint: "did you mean `retry`?" },
  { code: "E404", title: "negative retry", source: "x = Uppercase(\"a\") with retry: -1\nout x", at: ["E404 1:32"] },
  { code: "E404", title: "duration without a unit", source: "x = Uppercase(\"a\") with timeout: 3\nout x", at: ["E404 1:34"], hint: "add a unit: `3ms` or `3s`" },
  { code: "E404", title: "zero duration", source: "x = Uppercase(\"a\") with delay: 0ms\nout x", at: ["E404 1:32"] },
  { code: "E404", title: "unknown backoff", source: "x = Uppercase(\"a\") with backoff: expo\nout x", at: ["E404 1:34"] },
  { code: "E404", title: "retry given a duration", source: "x = Uppercase(\"a\") with retry: 2s\nout x", at: ["E404 1:32"] },
  { code: "E405", title: "the same option twice", source: "x = Uppercase(\"a\") with retry: 1, retry: 2\nout x", at: ["E405 1:35"], message: "twice" },
  { code: "E406", title: "fallback of the wrong type", source: "x = Uppercase(\"a\") with fallback: 1\nout x", at: ["E406 1:35"], message: "String" }
]

describe("checker diagnostics", () => {
  it.each(cases)("$code $title", ({ source, at, message, hint }) => {
    expect(found(source)).toEqual(at)
    const first = sortDiagnostics(checkSource(source).diagnostics)[0]!
    if (message !== undefined) expect(first.message).toContain(message)
    if (hint !== undefined) expect(first.hint).toContain(hint)
  })

  it("covers every code of the E2xx-E4xx catalogue it emits", () => {
    const covered = new Set(cases.map((c) => c.code))
    for (const code of ["E200", "E201", "E202", "E203", "E204", "E205", "E206", "E207", "E208", "E209", "E300", "E301", "E302", "E303", "E304", "E305", "E306", "E307", "E308", "E309", "E400", "E401", "E402", "E403", "E404", "E405", "E406"]) {
      expect(covered.has(code as DiagnosticCode), code).toBe(true)
    }
  })

  it("reports every error, not just the first", () => {
    const source = "in t: String\na = Upercase(t)\nb = t - 1\nc = [1, true]\nout a\nout b\nout c\nout d"
    expect(found(source)).toEqual(["E400 2:5", "E302 3:7", "E307 4:9", "E203 8:5"])
  })

  it("does not cascade: a failed expression is Unknown", () => {
    const source = "in t: String\nx = Upercase(t)\ny = Uppercase(x) + x.name\nz = x * 2\nout y\nout z"
    expect(found(source)).toEqual(["E400 2:5"])
  })

  it("still checks the arguments of an unknown module and the value of a duplicate", () => {
    expect(found("x = Nope(y)\nx = z\nout x")).toEqual(["E400 1:5", "E200 1:10", "E201 2:1", "E200 2:5"])
  })

  it("reports each cycle once, with its path from its first declaration", () => {
    const result = checkSource("a = c\nb = a\nc = b\nd = e\ne = d + 1\nout a\nout d")
    expect(sortDiagnostics(result.diagnostics).map((d) => `${d.code} ${d.line}:${d.column} ${d.message.split(":")[1]?.split(".")[0]}`)).toEqual([
      "E202 1:1  a -> c -> b -> a",
      "E202 4:1  d -> e -> d"
    ])
  })

  it("does not report a type the parser could not read twice", () => {
    const parsed = parse("in x:\nout x")
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(["E106"])
    expect(check(parsed.program, testRegistry).diagnostics).toEqual([])
  })
})

describe("checker types", () => {
  const types: ReadonlyArray<readonly [string, string, string]> = [
    ["Int + Int", "x = 1 + 2", "Int"],
    ["Int / Int truncates to Int", "x = 7 / 2", "Int"],
    ["Int * Float", "x = 2 * 1.5", "Float"],
    ["String + String", "x = \"a\" + \"b\"", "String"],
    ["comparison", "x = 1 < 2.5", "Boolean"],
    ["== on Int and Optional<Int>", "x = ParseNumber(\"1\") == 1", "Boolean"],
    ["and / or / not", "x = not (true and false) or true", "Boolean"],
    ["interpolation of any type", "x = \"${1} ${[true]} ${LookupUser(\"a\")}\"", "String"],
    ["if Int / Float", "x = if (true) 1 else 2.5", "Float"],
    ["if T / Optional<T>", "x = if (true) 1 else ParseNumber(\"2\")", "Optional<Int>"],
    ["?? with a plain default", "x = ParseNumber(\"1\") ?? 0", "Int"],
    ["?? with an optional default", "x = ParseNumber(\"1\") ?? ParseNumber(\"2\")", "Optional<Int>"],
    ["when", "x = \"a\" when true", "Optional<String>"],
    ["when on an optional stays one level", "x = ParseNumber(\"a\") when true", "Optional<Int>"],
    ["empty list", "x = []", "List<Unknown>"],
    ["list of Int and Float", "x = [1, 2.5]", "List<Float>"],
    ["list of records, common fields", "x = [{a: 1, b: \"x\"}, {a: 2}]", "List<{a: Int}>"],
    ["record literal", "x = {name: \"a\", tags: [\"b\"]}", "{name: String, tags: List<String>}"],
    ["field of a record", "x = LookupUser(\"a\").age", "Int"],
    ["field of a list of records", "x = Users().name", "List<String>"],
    ["field through nested lists", "x = Pair(Users(), Users()).age", "List<List<Int>>"],
    ["generic result from the argument", "x = Delay(\"a\", 10)", "String"],
    ["generic record result", "x = Delay(LookupUser(\"a\"), 10).name", "String"],
    ["generic inside List and Optional", "x = First([1, 2])", "Optional<Int>"],
    ["generic joins Int and Float", "x = Pair(1, 2.5)", "List<Float>"],
    ["generic bound to Unknown by []", "x = First([])", "Optional<Unknown>"],
    ["record with extra fields is accepted", "x = Greet(LookupUser(\"a\"))", "String"],
    ["Int argument widens to Float", "x = Scale(2, 3)", "Float"],
    ["type alias", "type Age = Int\nin a: Age\nx = a + 1", "Int"]
  ]
  it.each(types)("%s", (_, source, expected) => {
    expect(typeOf(`${source}\nout x`, "x")).toBe(expected)
  })

  it("accepts declarations in any order", () => {
    const result = checkSource("out r\nr = Uppercase(t)\nin t: String")
    expect(result.diagnostics).toEqual([])
    expect(result.checked.outputs).toMatchObject([{ name: "r", type: { _tag: "String" } }])
  })

  it("orders assignments after the ones they read", () => {
    const result = checkSource("c = b + 1\nb = a + 1\na = 1\nout c")
    expect(result.checked.assignments.map((a) => a.name)).toEqual(["a", "b", "c"])
  })

  it("keeps the declared type of an annotated output", () => {
    const result = checkSource("in n: Int\nout n: Float")
    expect(result.diagnostics).toEqual([])
    expect(result.checked.outputs[0]?.type).toEqual({ _tag: "Float" })
  })

  it("records list depth of field accesses and the options of calls", () => {
    const result = checkSource(
      "in t: String\nx = Uppercase(t) with timeout: 2s, retry: 3, delay: 100ms, maxDelay: 1min, backoff: capped, fallback: t\ny = Pair(Users(), Users()).age\nout x\nout y"
    )
    expect(result.diagnostics).toEqual([])
    expect([...result.checked.listDepths.values()]).toEqual([2])
    const [info] = [...result.checked.calls.values()]
    expect(info?.module.name).toBe("Uppercase")
    expect(info?.options).toMatchObject({ timeoutMs: 2000, retry: 3, delayMs: 100, maxDelayMs: 60000, backoff: "capped", fallback: { _tag: "Variable", name: "t" } })
  })

  it("accepts an example of the input's type", () => {
    expect(found("@example(3)\nin n: Float\n@example([{name: \"a\", age: 1}])\nin u: List<{name: String}>\nout n\nout u")).toEqual([])
  })
})
