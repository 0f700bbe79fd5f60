import { describe, expect, it } from "vitest"
import type { Declaration, Expr } from "../../src/lang/ast.js"
import { parse } from "../../src/lang/parser.js"
import type { Span } from "../../src/lang/span.js"
import { show, showDeclaration, spanProblems } from "./showAst.js"

/** The declarations of a source that must parse cleanly, one line each. */
const decls = (source: string): Array<string> => {
  const { program, diagnostics } = parse(source)
  expect(diagnostics.map((d) => d.message)).toEqual([])
  expect(spanProblems(source, program)).toEqual([])
  return program.declarations.map(showDeclaration)
}

/** The value of `x = <source>`, which must parse cleanly. */
const expr = (source: string): string => {
  const [first, ...rest] = decls(`x = ${source}`)
  expect(rest).toEqual([])
  return (first ?? "").slice("x = ".length)
}

const valueOf = (source: string): Expr => {
  const declaration = parse(source).program.declarations[0]
  if (declaration?._tag !== "Assignment") throw new Error(`not an assignment: ${source}`)
  return declaration.value
}

/** `code line:column` of each diagnostic. */
const errors = (source: string, maxDepth?: number): Array<string> =>
  parse(source, maxDepth === undefined ? undefined : { maxDepth }).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)

const messages = (source: string): Array<string> => parse(source).diagnostics.map((d) => d.message)

/** `line:column-line:column` of a span. */
const where = (span: Span): string => `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`

describe("parser", () => {
  it("parses the design example", () => {
    expect(decls("in text: String\nout upper: String\nupper = Uppercase(text)")).toEqual([
      "in text: String", "out upper: String", "upper = Uppercase(text)"
    ])
  })

  it("parses an empty source, blank lines and comments", () => {
    expect(decls("")).toEqual([])
    expect(decls("\n\n# nothing here\n   \n")).toEqual([])
  })

  describe("declarations", () => {
    it("in, with an optional @example on the same or the previous line", () => {
      expect(decls("in a: Int")).toEqual(["in a: Int"])
      expect(decls("@example(3) in a: Int")).toEqual(["@example(3) in a: Int"])
      expect(decls("@example(\"hi\")\n# the input\nin a: String")).toEqual(["@example(str(\"hi\")) in a: String"])
    })

    it("out, with an optional type", () => {
      expect(decls("out a\nout b: List<Int>")).toEqual(["out a", "out b: List<Int>"])
    })

    it("type aliases", () => {
      expect(decls("type User = {name: String, age: Int}")).toEqual(["type User = {name: String, age: Int}"])
    })

    it("assignments, in any order", () => {
      expect(decls("out b\nb = a\nin a: Int")).toEqual(["out b", "b = a", "in a: Int"])
    })

    it("names with dashes", () => {
      expect(decls("fan-out = a-b - c")).toEqual(["fan-out = (a-b - c)"])
    })
  })

  describe("types", () => {
    it("named, generic and record types, nested", () => {
      expect(decls("in a: Optional<List<{x: Float, tags: List<String>}>>")).toEqual([
        "in a: Optional<List<{x: Float, tags: List<String>}>>"
      ])
      expect(decls("type E = {}\ntype T = {a: Boolean,}")).toEqual(["type E = {}", "type T = {a: Boolean}"])
    })

    it("leaves aliases and unknown names to the checker", () => {
      expect(decls("in a: User\nin b: List")).toEqual(["in a: User", "in b: List"])
    })

    it("allows keywords as field names, also at the start of a line", () => {
      expect(decls("type T = {type: String, in: Int}\nx = {type: \"a\"}.type")).toEqual([
        "type T = {type: String, in: Int}", "x = {type: str(\"a\")}.type"
      ])
      expect(decls("type T = {\n  type: String,\n  out: Int\n}\nx = {\n  in: 1\n}")).toEqual([
        "type T = {type: String, out: Int}", "x = {in: 1}"
      ])
    })
  })

  describe("literals", () => {
    it("numbers, with a '-' touching the digits as a negative literal", () => {
      expect(expr("[1, 1.5, -2, -0.25, 0, -0]")).toBe("[1, 1.5, -2, -0.25, 0, 0]")
      expect(valueOf("x = -3")).toMatchObject({ _tag: "IntLiteral", value: -3 })
      expect(valueOf("x = 2.0")).toMatchObject({ _tag: "FloatLiteral", value: 2 })
    })

    it("booleans, lists and records, trailing commas allowed", () => {
      expect(expr("[true, false,]")).toBe("[true, false]")
      expect(expr("[]")).toBe("[]")
      expect(expr("{a: 1, b: [x], c: {d: y},}")).toBe("{a: 1, b: [x], c: {d: y}}")
      expect(expr("{}")).toBe("{}")
    })

    it("strings with escapes and interpolations of any expression", () => {
      expect(expr("\"plain\"")).toBe("str(\"plain\")")
      expect(expr("\"\"")).toBe("str(\"\")")
      expect(expr("\"a\\n${b + 1}c\"")).toBe("str(\"a\\n\" ${(b + 1)} \"c\")")
      expect(expr("\"${a}${b}\"")).toBe("str(${a} ${b})")
      expect(expr("\"x ${Trim(\"${y} ${ {k: 1}.k }\")} z\"")).toBe("str(\"x \" ${Trim(str(${y} \" \" ${{k: 1}.k}))} \" z\")")
    })
  })

  describe("calls and options", () => {
    it("calls with zero or more arguments", () => {
      expect(expr("Now()")).toBe("Now()")
      expect(expr("Concat(a, \"b\", F(c),)")).toBe("Concat(a, str(\"b\"), F(c))")
    })

    it("reads each option value by its shape", () => {
      expect(expr("F(x) with timeout: 2s, retry: 3, delay: 100ms, backoff: exponential, fallback: y"))
        .toBe("(F(x) with timeout: 2000ms, retry: int 3, delay: 100ms, backoff: word exponential, fallback: y)")
      expect(expr("F(x) with retry: -1, cache: 5min, fallback: 3, priority: a.b, lazy: true"))
        .toBe("(F(x) with retry: int -1, cache: 300000ms, fallback: 3, priority: a.b, lazy: true)")
    })

    it("gives an option the longest expression", () => {
      expect(expr("F(x) with retry: 3 + 1")).toBe("(F(x) with retry: (3 + 1))")
      expect(expr("F(x) with fallback: a ?? b, retry: 2")).toBe("(F(x) with fallback: (a ?? b), retry: int 2)")
      expect(expr("(F(x) with retry: 2) ?? y")).toBe("((F(x) with retry: int 2) ?? y)")
    })

    it("leaves a comma not followed by 'name:' to the enclosing list", () => {
      expect(expr("G(F(x) with retry: 3, y)")).toBe("G((F(x) with retry: int 3), y)")
      expect(expr("[F(x) with backoff: linear, F(y)]")).toBe("[(F(x) with backoff: word linear), F(y)]")
    })

    it("records option spans", () => {
      const call = valueOf("x = F(a) with retry: -3")
      if (call._tag !== "Call") throw new Error("not a call")
      const option = call.options[0]
      expect(option?._tag).toBe("IntOption")
      expect(option !== undefined && option._tag === "IntOption" ? where(option.valueSpan) : "").toBe("1:22-1:24")
      expect(option === undefined ? "" : where(option.span)).toBe("1:15-1:24")
      expect(where(call.span)).toBe("1:5-1:24")
    })
  })

  describe("precedence and associativity", () => {
    it.each([
      ["a ?? b when c", "(a ?? (b when c))"],
      ["a when b or c", "(a when (b or c))"],
      ["a or b and c", "(a or (b and c))"],
      ["not a and b", "((not a) and b)"],
      ["not a == b", "(not (a == b))"],
      ["a == b + c", "(a == (b + c))"],
      ["a + b * c", "(a + (b * c))"],
      ["a * b.c", "(a * b.c)"],
      ["a.b.c", "a.b.c"],
      ["F(x).y", "F(x).y"],
      ["(a + b) * c", "((a + b) * c)"],
      ["a ?? b ?? c", "(a ?? (b ?? c))"],
      ["a - b - c", "((a - b) - c)"],
      ["a / b * c", "((a / b) * c)"],
      ["a or b or c", "((a or b) or c)"],
      ["a and b and c", "((a and b) and c)"],
      ["a when b when c", "((a when b) when c)"],
      ["not not a", "(not (not a))"],
      ["a -1", "(a - 1)"],
      ["a - -1", "(a - -1)"],
      ["a * -1.5", "(a * -1.5)"],
      ["if (a) b else c + 1", "(if a then b else (c + 1))"],
      ["if (a or b) x ?? y else if (c) 1 else 2", "(if (a or b) then (x ?? y) else (if c then 1 else 2))"],
      ["1 + if (a) b else c", "(1 + (if a then b else c))"],
      ["a >= b and c != d", "((a >= b) and (c != d))"],
      ["(a < b) == (c > d)", "((a < b) == (c > d))"]
    ])("%s", (source, expected) => {
      expect(expr(source)).toBe(expected)
    })

    it("does not chain comparisons", () => {
      expect(errors("x = a < b < c")).toEqual(["E104 1:11"])
      expect(messages("x = a == b != c")[0]).toContain("cannot be chained")
    })
  })

  describe("line breaks", () => {
    it("continue an expression inside brackets and around operators", () => {
      expect(decls("x = F(a,\n  b)\ny = [1,\n2]\nz = a +\n  b\n  * c\n  .d\nout z")).toEqual([
        "x = F(a, b)", "y = [1, 2]", "z = (a + (b * c.d))", "out z"
      ])
    })

    it("let 'with' options and 'else' start a line", () => {
      expect(decls("r = Flaky(id)\n  with retry: 3,\n       timeout: 2s\nv = if (c) a\n  else b")).toEqual([
        "r = (Flaky(id) with retry: int 3, timeout: 2000ms)", "v = (if c then a else b)"
      ])
    })

    it("make a name followed by '(' on the next line not a call: E110 for a module's name", () => {
      expect(errors("x = F\n(a)\ny = 1")).toEqual(["E110 1:5"])
      expect(parse("x = F\n  (a)").diagnostics[0]).toMatchObject({
        span: { start: { line: 1, column: 5 }, end: { line: 2, column: 4 } },
        message: "The call to F has its '(' on the next line; it must follow the name on the same line.",
        hint: "Write `F(` on one line; the arguments may go on the lines after it."
      })
      expect(errors("x = f\n(a)")).toEqual(["E104 2:1"])
    })

    it("end a declaration before a line that starts one", () => {
      expect(errors("x = a +\ny = 2")).toEqual(["E105 1:8"])
      expect(messages("x = a +\ny = 2")).toEqual(["Expected an expression after '+', found the end of the line."])
    })

    it("need a new line between declarations", () => {
      expect(errors("x = 1 y = 2")).toEqual(["E104 1:7"])
    })
  })

  describe("spans", () => {
    const source = "in text: String\nupper = Uppercase(text).length + 1\n@example([1]) in n: List<Int>"
    const program = parse(source).program
    const [input, assignment, example] = program.declarations as ReadonlyArray<Declaration>

    it("cover each declaration and the program", () => {
      expect(where(program.span)).toBe("1:1-3:30")
      expect(input !== undefined ? where(input.span) : "").toBe("1:1-1:16")
      expect(assignment !== undefined ? where(assignment.span) : "").toBe("2:1-2:35")
      expect(example !== undefined ? where(example.span) : "").toBe("3:1-3:30")
    })

    it("cover each expression, its operator and its names", () => {
      if (assignment?._tag !== "Assignment") throw new Error("not an assignment")
      const sum = assignment.value
      if (sum._tag !== "Binary" || sum.left._tag !== "FieldAccess" || sum.left.target._tag !== "Call") throw new Error(show(sum))
      expect(where(assignment.name.span)).toBe("2:1-2:6")
      expect(where(sum.span)).toBe("2:9-2:35")
      expect(where(sum.opSpan)).toBe("2:32-2:33")
      expect(where(sum.left.span)).toBe("2:9-2:31")
      expect(where(sum.left.field.span)).toBe("2:25-2:31")
      expect(where(sum.left.target.span)).toBe("2:9-2:24")
      expect(where(sum.left.target.callee.span)).toBe("2:9-2:18")
      expect(where(sum.right.span)).toBe("2:34-2:35")
    })

    it("cover the type of an input and its example", () => {
      if (example?._tag !== "InputDecl" || example.example === undefined) throw new Error("no example")
      expect(where(example.example.span)).toBe("3:10-3:13")
      expect(where(example.type.span)).toBe("3:21-3:30")
    })

    it("include the parentheses of a parenthesized expression", () => {
      expect(where(valueOf("x = (a + b)").span)).toBe("1:5-1:12")
      expect(where(valueOf("x = \"a${b}\"").span)).toBe("1:5-1:12")
    })

    it("are consistent everywhere in a larger program", () => {
      const big = "type T = {a: List<Int>}\n@example({a: [1]})\nin t: T\ns = \"n=${t.a}\" when not (1 > 2) ?? \"none\"\nr = F(s) with fallback: if (true) s else \"x\", retry: 2\nout r"
      expect(spanProblems(big, parse(big).program)).toEqual([])
    })
  })

  describe("error recovery", () => {
    it("reports several errors, each where it happens, and keeps the good declarations", () => {
      const source = [
        "in text: String",
        "a = Uppercase(text",
        "b = 1 +",
        "in n:",
        "c = )",
        "out c",
        "d = F(x) with retry",
        "type T Int",
        "e = [1, 2"
      ].join("\n")
      const { program, diagnostics } = parse(source)
      expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual([
        "E104 2:19", "E105 3:8", "E106 4:6", "E105 5:5", "E104 7:20", "E104 8:8", "E104 9:10"
      ])
      expect(diagnostics[0]?.message).toBe("Expected ')' to close the call to Uppercase that starts at 2:5, found the end of the line.")
      expect(program.declarations.map(showDeclaration)).toEqual([
        "in text: String", "a = Uppercase(text)", "b = (1 + <error>)", "in n: <missing>", "c = <error>", "out c",
        "d = F(x)", "type T = <missing>", "e = [1, 2]"
      ])
      expect(spanProblems(source, program)).toEqual([])
    })

    it("keeps an input whose example on the previous line is broken", () => {
      const { program, diagnostics } = parse("@example(1 +)\nin x: Int")
      expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(["E105 1:13"])
      expect(program.declarations.map(showDeclaration)).toEqual(["in x: Int"])
    })

    it("skips the rest of a broken declaration, across lines", () => {
      expect(errors("x = F(a b,\n  c)\ny = 1\nout y")).toEqual(["E104 1:9"])
      expect(parse("x = F(a b,\n  c)\ny = 1").program.declarations.map(showDeclaration)).toEqual(["x = F(a)", "y = 1"])
    })

    it("explains common mistakes", () => {
      expect(messages("upper Uppercase(text)")[0]).toBe("Expected '=' after upper to define it, found the name 'Uppercase'.")
      expect(parse("text: String").diagnostics[0]?.hint).toBe("To declare an input write: in text: Type.")
      expect(messages("x = if (a) b")[0]).toBe("Expected 'else' after the first branch of the 'if' at 1:5, found the end of the file.")
      expect(messages("x = 2s")[0]).toBe("The duration 2s can only be the value of a 'with' option.")
      expect(messages("in type: Int")[0]).toBe("Expected the name of the input after 'in', found 'type'.")
      expect(messages("x = a + not b")[0]).toBe("Expected an expression after '+', found 'not'.")
      expect(messages("in x: Set<String>")[0]).toContain("only List<T>, Optional<T> and Map<K, V>")
      expect(messages("in x: Map<String>")[0]).toBe("Expected ',' and the value type after the key type of Map<, found '>'.")
      expect(messages("@sample(1) in x: Int")[0]).toBe("There is no annotation @sample.")
      expect(messages("x = \"a${}\"")[0]).toBe("Expected an expression after '${', found '}'.")
      expect(messages("x = a with retry: 1")[0]).toBe("Unexpected 'with' after the declaration of x.")
      expect(parse("Uppercase(text)").diagnostics[0]?.hint).toBe("Give the call's result a name: result = Uppercase(...).")
      expect(messages("in x: 3")[0]).toBe("Expected a type after ':', found the number 3.")
      expect(messages("x = F(a, b")[0]).toBe("Expected ')' to close the call to F that starts at 1:5, found the end of the file.")
    })

    it("reports indexing as E109, over the brackets, whatever the value", () => {
      expect(errors("x = xs[0]\ny = F(a).b[i + 1]\nz = \"ab\"[1]\nw = [a [0]]")).toEqual(["E109 1:7", "E109 2:11", "E109 3:9", "E104 4:8"])
      expect(parse("x = xs[0]").diagnostics[0]).toMatchObject({
        span: { start: { column: 7 }, end: { column: 10 } },
        message: "Indexing is not supported: `xs[...]` cannot read an element.",
        hint: expect.stringContaining("pass it to a module")
      })
      expect(parse("x = xs[0]").program.declarations.map(showDeclaration)).toEqual(["x = xs"])
    })

    it("reports a lexer error once, without a parser error on top", () => {
      expect(errors("x = a & b\ny = 99999999999999999999\nz = F(x) with retry: 2q\nw = \"abc")).toEqual([
        "E100 1:7", "E103 2:5", "E108 3:22", "E101 4:5"
      ])
    })

    it("reports nesting deeper than maxDepth with E107 and goes on with the next declaration", () => {
      expect(errors("x = ((((a))))\ny = [[[[1]]]]\nin z: List<List<List<List<Int>>>>\nw = a + b + c + d + e", 4)).toEqual([
        "E107 1:9", "E107 2:9", "E107 3:27", "E107 4:19"
      ])
      expect(errors("x = (((a)))\ny = a + b + c", 4)).toEqual([])
    })
  })
})
