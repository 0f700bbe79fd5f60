import { describe, expect, it } from "vitest"
import { lex } from "../../src/lang/lexer.js"
import type { Token } from "../../src/lang/token.js"

/** `kind` or `kind:text` for each token but EOF. */
const kinds = (source: string): Array<string> =>
  lex(source).tokens.filter((t) => t.kind !== "EOF").map((t) =>
    t.kind === "Ident" || t.kind === "StringText" || t.kind === "Invalid" ? `${t.kind}:${t.text}` : t.kind
  )

const codes = (source: string): Array<string> =>
  lex(source).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)

const at = (t: Token | undefined): string =>
  t === undefined ? "none" : `${t.span.start.line}:${t.span.start.column}-${t.span.end.line}:${t.span.end.column} @${t.span.start.offset}-${t.span.end.offset}`

describe("lexer", () => {
  it("reads punctuation, operators and keywords", () => {
    expect(kinds("( ) [ ] { } < > <= >= == != = + - * / , : . ?? @")).toEqual([
      "(", ")", "[", "]", "{", "}", "<", ">", "<=", ">=", "==", "!=", "=", "+", "-", "*", "/", ",", ":", ".", "??", "@"
    ])
    expect(kinds("in out type if else when and or not true false with")).toEqual([
      "in", "out", "type", "if", "else", "when", "and", "or", "not", "true", "false", "with"
    ])
    expect(kinds("a<=b")).toEqual(["Ident:a", "<=", "Ident:b"])
    expect(kinds("inside outer types")).toEqual(["Ident:inside", "Ident:outer", "Ident:types"])
  })

  it("ends with EOF, even for an empty source", () => {
    expect(lex("").tokens.map((t) => t.kind)).toEqual(["EOF"])
    expect(at(lex("").tokens[0])).toBe("1:1-1:1 @0-0")
    expect(at(lex("a\n").tokens[1])).toBe("2:1-2:1 @2-2")
  })

  it("gives 1-based lines and columns and 0-based offsets", () => {
    const { tokens } = lex("in text: String\n  out   upper")
    expect(tokens.map(at)).toEqual([
      "1:1-1:3 @0-2", "1:4-1:8 @3-7", "1:8-1:9 @7-8", "1:10-1:16 @9-15",
      "2:3-2:6 @18-21", "2:9-2:14 @24-29", "2:14-2:14 @29-29"
    ])
  })

  it("counts \\r\\n and \\r as one line break each", () => {
    const { tokens } = lex("a\r\nb\rc\n\nd")
    expect(tokens.map((t) => `${t.text}@${t.span.start.line}:${t.span.start.column}`)).toEqual(["a@1:1", "b@2:1", "c@3:1", "d@5:1", "@5:2"])
  })

  it("marks tokens that begin a line", () => {
    const { tokens } = lex("a b\n  c # comment\n# only a comment\nd")
    expect(tokens.map((t) => t.lineBreakBefore)).toEqual([true, false, true, true, false])
  })

  it("skips comments to the end of the line, also after code", () => {
    expect(kinds("# a comment ( \" \nx = 1 # trailing \" unterminated")).toEqual(["Ident:x", "=", "Int"])
  })

  describe("identifiers", () => {
    it("keeps a dash followed by a letter, digit or underscore", () => {
      expect(kinds("fan-out a-1 a_b x-_y")).toEqual(["Ident:fan-out", "Ident:a-1", "Ident:a_b", "Ident:x-_y"])
    })

    it("reads a dash with a space on either side as minus", () => {
      expect(kinds("a - b")).toEqual(["Ident:a", "-", "Ident:b"])
      expect(kinds("a -b")).toEqual(["Ident:a", "-", "Ident:b"])
      expect(kinds("a- b")).toEqual(["Ident:a", "-", "Ident:b"])
      expect(kinds("a--b")).toEqual(["Ident:a", "-", "-", "Ident:b"])
      expect(kinds("a-")).toEqual(["Ident:a", "-"])
    })

    it("reads a keyword with a dash as an identifier", () => {
      expect(kinds("in-flight not-empty")).toEqual(["Ident:in-flight", "Ident:not-empty"])
    })
  })

  describe("numbers and durations", () => {
    it("reads ints and floats", () => {
      const { tokens } = lex("0 42 1.5 10.25 9007199254740991")
      expect(tokens.map((t) => `${t.kind}:${t.value}`)).toEqual(["Int:0", "Int:42", "Float:1.5", "Float:10.25", "Int:9007199254740991", "EOF:0"])
    })

    it("reads a dot not followed by a digit as a separate token", () => {
      expect(kinds("1.x")).toEqual(["Int", ".", "Ident:x"])
    })

    it("reports ints beyond the safe range with E103", () => {
      const { tokens, diagnostics } = lex("9007199254740992 123456789012345678901234567890")
      expect(tokens.map((t) => t.kind)).toEqual(["Invalid", "Invalid", "EOF"])
      expect(diagnostics.map((d) => `${d.code} ${d.column}`)).toEqual(["E103 1", "E103 18"])
    })

    it("reads durations in milliseconds", () => {
      const { tokens } = lex("100ms 2s 5min 1h 1.5s")
      expect(tokens.map((t) => `${t.kind}:${t.value}`)).toEqual([
        "Duration:100", "Duration:2000", "Duration:300000", "Duration:3600000", "Duration:1500", "EOF:0"
      ])
      expect(at(tokens[2])).toBe("1:10-1:14 @9-13")
    })

    it("reports a number followed by other letters with E108", () => {
      expect(codes("retry: 2x")).toEqual(["E108 1:8"])
      expect(kinds("2x 3seconds")).toEqual(["Invalid:2x", "Invalid:3seconds"])
    })
  })

  describe("strings", () => {
    it("reads a plain string as start, text, end", () => {
      const { tokens } = lex("\"hello\"")
      expect(tokens.map((t) => t.kind)).toEqual(["StringStart", "StringText", "StringEnd", "EOF"])
      expect(tokens.map(at).slice(0, 3)).toEqual(["1:1-1:2 @0-1", "1:2-1:7 @1-6", "1:7-1:8 @6-7"])
    })

    it("reads an empty string without a text token", () => {
      expect(kinds("\"\"")).toEqual(["StringStart", "StringEnd"])
    })

    it("applies escapes", () => {
      const { tokens, diagnostics } = lex(String.raw`"a\nb\tc\"d\\e\$f ${"$"}g"`)
      expect(diagnostics).toEqual([])
      expect(tokens[1]?.text).toBe("a\nb\tc\"d\\e$f $g")
    })

    it("reports an unknown escape with E102 and keeps the character", () => {
      const { tokens, diagnostics } = lex(String.raw`"a\qb"`)
      expect(diagnostics.map((d) => `${d.code} ${d.column}-${d.span.end.column}`)).toEqual(["E102 3-5"])
      expect(tokens[1]?.text).toBe("aqb")
    })

    it("splits interpolations into tokens", () => {
      expect(kinds("\"Hi ${name}!\"")).toEqual([
        "StringStart", "StringText:Hi ", "InterpStart", "Ident:name", "InterpEnd", "StringText:!", "StringEnd"
      ])
    })

    it("nests strings and braces inside interpolations", () => {
      expect(kinds("\"a${ {k: \"b${c}\"}.k }d\"")).toEqual([
        "StringStart", "StringText:a", "InterpStart", "{", "Ident:k", ":",
        "StringStart", "StringText:b", "InterpStart", "Ident:c", "InterpEnd", "StringEnd",
        "}", ".", "Ident:k", "InterpEnd", "StringText:d", "StringEnd"
      ])
    })

    it("reads an escaped ${ as text", () => {
      expect(kinds(String.raw`"\${x}"`)).toEqual(["StringStart", "StringText:${x}", "StringEnd"])
    })

    it("reports a string left open at the end of the line with E101 and closes it", () => {
      const { tokens, diagnostics } = lex("x = \"abc\ny = 1")
      expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.column}-${d.span.end.column}`)).toEqual(["E101 1:5-9"])
      expect(tokens.map((t) => t.kind)).toEqual(["Ident", "=", "StringStart", "StringText", "StringEnd", "Ident", "=", "Int", "EOF"])
      expect(tokens[5]?.lineBreakBefore).toBe(true)
    })

    it("closes open interpolations too, at the end of the line or file", () => {
      expect(kinds("\"a${b")).toEqual(["StringStart", "StringText:a", "InterpStart", "Ident:b", "InterpEnd", "StringEnd"])
      expect(codes("\"a${\"b${c\nd")).toEqual(["E101 1:1"])
      expect(kinds("\"a\\")).toEqual(["StringStart", "StringText:a", "StringEnd"])
    })
  })

  describe("bad characters", () => {
    it("reports a run of unexpected characters once, with E100", () => {
      const { tokens, diagnostics } = lex("a $%^ b")
      expect(tokens.map((t) => t.kind)).toEqual(["Ident", "Invalid", "Ident", "EOF"])
      expect(diagnostics.map((d) => `${d.code} ${d.column}-${d.span.end.column} ${d.message}`)).toEqual([
        "E100 3-6 Unexpected characters '$%^'."
      ])
    })

    it("hints at the language's spelling", () => {
      const hints = (s: string) => lex(s).diagnostics.map((d) => d.hint)
      expect(hints("a && b")[0]).toContain("and")
      expect(hints("a || b")[0]).toContain("or")
      expect(hints("!a")[0]).toContain("not")
      expect(hints("a ? b")[0]).toContain("??")
      expect(hints("'text'")[0]).toContain("double quotes")
    })

    it("spells non-printable characters as code points", () => {
      expect(lex("\u0000\u00e9").diagnostics[0]?.message).toBe("Unexpected characters U+0000 U+00E9.")
    })

    it("skips a byte order mark", () => {
      expect(kinds("\uFEFFin")).toEqual(["in"])
    })
  })
})
