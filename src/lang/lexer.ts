/**
 * The lexer: one pass over the source's char codes, producing every token
 * up front (ending with `EOF`) and a diagnostic for each bad character,
 * number, duration, escape or unterminated string. It never throws.
 *
 * - Identifiers are `[A-Za-z_][A-Za-z0-9_-]*`, where `-` belongs to the
 *   identifier only when a letter, digit or `_` follows it: `fan-out` and
 *   `a-1` are single names, `a - b` and `a -b` are subtractions.
 * - A number is `digits` or `digits.digits`. Letters right after it make a
 *   duration (`ms`, `s`, `min`, `h`, `d`); any other letters are E108.
 * - A string, its interpolations included, must close on the line it opens.
 * - Columns count UTF-16 code units, as offsets do (what editors and LSP use).
 */
import { type Diagnostic, type DiagnosticName, diagnostic } from "./diagnostic.js"
import type { Position, Span } from "./span.js"
import { keywordKinds, type Token, type TokenKind } from "./token.js"

export interface LexResult {
  readonly tokens: ReadonlyArray<Token>
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

/** Splits a source into tokens; the last token is always `EOF`. */
export const lex = (source: string): LexResult => {
  const lexer = new Lexer(source)
  lexer.run()
  return { tokens: lexer.tokens, diagnostics: lexer.diagnostics }
}

// Character codes stay in this module: constants imported from another
// module are not folded by V8, which made the hot loop about 5x slower.
const LF = 10, CR = 13, TAB = 9, VT = 11, FF = 12, SPACE = 32
const BANG = 33, QUOTE = 34, HASH = 35, DOLLAR = 36, LPAREN = 40, RPAREN = 41, STAR = 42, PLUS = 43
const COMMA = 44, MINUS = 45, DOT = 46, SLASH = 47, COLON = 58, LT = 60, EQ = 61, GT = 62, QUESTION = 63
const AT = 64, LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93, UNDERSCORE = 95, LBRACE = 123, RBRACE = 125
const PIPE = 124
const BOM = 0xfeff

const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
const isIdentPart = (c: number): boolean => isLetter(c) || isDigit(c) || c === UNDERSCORE

/** Characters that begin some token, whitespace or comment; anything else is E100. */
const isTokenStart = (c: number): boolean =>
  isIdentPart(c) || c === SPACE || c === TAB || c === LF || c === CR || c === VT || c === FF ||
  c === QUOTE || c === HASH || (c >= LPAREN && c <= SLASH) || c === COLON || (c >= LT && c <= AT) ||
  c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE || c === BANG || c === PIPE

/** Single-character punctuation, indexed by char code. */
const singleCharKinds: ReadonlyArray<TokenKind | undefined> = (() => {
  const kinds = new Array<TokenKind | undefined>(128).fill(undefined)
  const pairs: ReadonlyArray<readonly [number, TokenKind]> = [
    [LPAREN, "("], [RPAREN, ")"], [LBRACKET, "["], [RBRACKET, "]"], [STAR, "*"], [PLUS, "+"],
    [COMMA, ","], [MINUS, "-"], [DOT, "."], [SLASH, "/"], [COLON, ":"], [AT, "@"], [PIPE, "|"]
  ]
  for (const [code, kind] of pairs) kinds[code] = kind
  return kinds
})()

/** Milliseconds per duration unit. */
const durationUnits: ReadonlyMap<string, number> = new Map([["ms", 1], ["s", 1000], ["min", 60_000], ["h", 3_600_000], ["d", 86_400_000]])

const escapes: ReadonlyMap<number, string> = new Map([[110, "\n"], [116, "\t"], [QUOTE, "\""], [BACKSLASH, "\\"], [DOLLAR, "$"]])

/** An open string, or an open `${` inside one, with the `{` it has seen. */
type Frame = { readonly kind: "string"; readonly start: Position } | { kind: "interp"; braces: number }

class Lexer {
  readonly tokens: Array<Token> = []
  readonly diagnostics: Array<Diagnostic> = []
  private pos = 0
  private line = 1
  private lineStart = 0
  private lineBreak = true
  private readonly frames: Array<Frame> = []

  constructor(private readonly src: string) {}

  run(): void {
    const src = this.src
    if (src.charCodeAt(0) === BOM) this.pos = 1
    while (this.pos < src.length) {
      const depth = this.frames.length
      const top = depth === 0 ? undefined : this.frames[depth - 1]
      if (top?.kind === "string") this.stringChunk()
      else this.codeToken(top)
    }
    this.closeStrings(src.length)
    this.push("EOF", "", 0, src.length, src.length)
  }

  private position(offset: number): Position {
    return { line: this.line, column: offset - this.lineStart + 1, offset }
  }

  private span(start: number, end: number): Span {
    return { start: this.position(start), end: this.position(end) }
  }

  private push(kind: TokenKind, text: string, value: number, start: number, end: number): void {
    this.tokens.push({ kind, text, value, span: this.span(start, end), lineBreakBefore: this.lineBreak })
    this.lineBreak = false
  }

  private report(name: DiagnosticName, message: string, start: number, end: number, hint?: string): void {
    this.diagnostics.push(diagnostic(name, message, this.span(start, end), hint))
  }

  /** One token (or whitespace, line break, comment) outside string text. */
  private codeToken(top: Frame | undefined): void {
    const src = this.src
    const start = this.pos
    const c = src.charCodeAt(start)
    const next = src.charCodeAt(start + 1)
    if (c === SPACE || c === TAB || c === VT || c === FF) {
      let p = start + 1
      for (let w = src.charCodeAt(p); w === SPACE || w === TAB || w === VT || w === FF; w = src.charCodeAt(++p));
      this.pos = p
    } else if (c === LF || c === CR) {
      this.closeStrings(start)
      this.pos += c === CR && next === LF ? 2 : 1
      this.line++
      this.lineStart = this.pos
      this.lineBreak = true
    } else if (c === HASH) {
      let p = start + 1
      while (p < src.length && src.charCodeAt(p) !== LF && src.charCodeAt(p) !== CR) p++
      this.pos = p
    } else if (isLetter(c) || c === UNDERSCORE) {
      this.identifier(start)
    } else if (isDigit(c)) {
      this.number(start)
    } else if (c === QUOTE) {
      this.push("StringStart", "\"", 0, start, start + 1)
      this.frames.push({ kind: "string", start: this.position(start) })
      this.pos++
    } else if (c === LBRACE || c === RBRACE) {
      this.brace(c, top, start)
    } else if (c === EQ) {
      if (next === GT) this.punct("=>", start, 2)
      else this.punct(next === EQ ? "==" : "=", start, next === EQ ? 2 : 1)
    } else if (c === MINUS && next === GT) {
      this.punct("->", start, 2)
    } else if (c === LT) {
      this.punct(next === EQ ? "<=" : "<", start, next === EQ ? 2 : 1)
    } else if (c === GT) {
      this.punct(next === EQ ? ">=" : ">", start, next === EQ ? 2 : 1)
    } else if (c === BANG) {
      if (next === EQ) this.punct("!=", start, 2)
      else this.invalid(start, start + 1, "Write `not x` for negation and `!=` for inequality.")
    } else if (c === PIPE && next === PIPE) {
      this.invalid(start, start + 2, "Write `or` for logical or; a single `|` separates the members of a union type.")
    } else if (c === QUESTION) {
      if (next === QUESTION) this.punct("??", start, 2)
      else this.invalid(start, start + 1, "Did you mean `??`, which gives a default for an Optional value?")
    } else {
      const kind = c < 128 ? singleCharKinds[c] : undefined
      if (kind !== undefined) this.punct(kind, start, 1)
      else this.invalidRun(start)
    }
  }

  private punct(kind: TokenKind, start: number, length: number): void {
    this.push(kind, kind, 0, start, start + length)
    this.pos = start + length
  }

  /** `{` and `}`; inside an interpolation the unmatched `}` ends it. */
  private brace(c: number, top: Frame | undefined, start: number): void {
    if (top?.kind === "interp") {
      if (c === LBRACE) top.braces++
      else if (top.braces === 0) {
        this.frames.pop()
        this.punct("InterpEnd", start, 1)
        return
      } else top.braces--
    }
    this.punct(c === LBRACE ? "{" : "}", start, 1)
  }

  private identifier(start: number): void {
    const src = this.src
    let p = start + 1
    for (;;) {
      const c = src.charCodeAt(p)
      if (isIdentPart(c) || (c === MINUS && isIdentPart(src.charCodeAt(p + 1)))) p++
      else break
    }
    const text = src.slice(start, p)
    const keyword = p - start <= 5 && src.charCodeAt(start) >= 97 ? keywordKinds.get(text) : undefined
    this.push(keyword ?? "Ident", text, 0, start, p)
    this.pos = p
  }

  private number(start: number): void {
    const src = this.src
    let p = start
    while (isDigit(src.charCodeAt(p))) p++
    const isFloat = src.charCodeAt(p) === DOT && isDigit(src.charCodeAt(p + 1))
    if (isFloat) {
      p += 2
      while (isDigit(src.charCodeAt(p))) p++
    }
    const numberEnd = p
    while (isIdentPart(src.charCodeAt(p))) p++
    this.pos = p
    const text = src.slice(start, p)
    const value = Number(src.slice(start, numberEnd))
    if (p > numberEnd) {
      const factor = durationUnits.get(src.slice(numberEnd, p))
      const millis = value * (factor ?? 0)
      if (factor === undefined) {
        this.report("InvalidDuration", `'${text}' is not a number or a duration.`, start, p,
          "A duration is a number followed by ms, s, min, h or d, like 100ms or 2s; put a space between a number and a name.")
        this.push("Invalid", text, 0, start, p)
      } else if (!(millis <= Number.MAX_SAFE_INTEGER)) {
        this.report("InvalidNumber", `The duration '${text}' is too long.`, start, p)
        this.push("Invalid", text, 0, start, p)
      } else this.push("Duration", text, millis, start, p)
    } else if (isFloat ? !Number.isFinite(value) : !Number.isSafeInteger(value)) {
      this.report("InvalidNumber", `The number ${text} is too large.`, start, p,
        isFloat ? undefined : `An Int must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}.`)
      this.push("Invalid", text, 0, start, p)
    } else this.push(isFloat ? "Float" : "Int", text, value, start, p)
  }

  /** Text of the innermost open string up to its end, an interpolation, or the end of the line. */
  private stringChunk(): void {
    const src = this.src
    const start = this.pos
    let text = ""
    let run = start
    let p = start
    while (p < src.length) {
      const c = src.charCodeAt(p)
      if (c === QUOTE || c === LF || c === CR || (c === DOLLAR && src.charCodeAt(p + 1) === LBRACE)) break
      if (c === BACKSLASH) {
        const e = src.charCodeAt(p + 1)
        if (p + 1 >= src.length || e === LF || e === CR) {
          text += src.slice(run, p)
          run = ++p
          continue
        }
        text += src.slice(run, p)
        const cooked = escapes.get(e)
        if (cooked === undefined) {
          this.report("InvalidEscape", `'\\${src[p + 1]}' is not an escape sequence.`, p, p + 2,
            "The escapes are \\n, \\t, \\\", \\\\ and \\$; write \\\\ for a backslash.")
        }
        text += cooked ?? src[p + 1]
        p += 2
        run = p
        continue
      }
      p++
    }
    text += src.slice(run, p)
    if (p > start) this.push("StringText", text, 0, start, p)
    this.pos = p
    const c = src.charCodeAt(p)
    if (c === QUOTE) {
      this.frames.pop()
      this.punct("StringEnd", p, 1)
    } else if (c === DOLLAR) {
      this.frames.push({ kind: "interp", braces: 0 })
      this.punct("InterpStart", p, 2)
    } else if (p < src.length) {
      this.codeToken(undefined)
    }
  }

  /** At a line break or the end: reports an open string and closes every open frame with zero-width tokens. */
  private closeStrings(at: number): void {
    const outer = this.frames[0]
    if (outer === undefined || outer.kind !== "string") return
    this.diagnostics.push(diagnostic("UnterminatedString", "This string is not closed before the end of the line.",
      { start: outer.start, end: this.position(at) }, "Close it with '\"'; a string and its ${...} parts must fit on one line."))
    while (this.frames.length > 0) {
      const frame = this.frames.pop()
      this.push(frame?.kind === "string" ? "StringEnd" : "InterpEnd", "", 0, at, at)
    }
  }

  private invalid(start: number, end: number, hint: string): void {
    this.report("UnexpectedCharacter", `Unexpected character '${this.src.slice(start, end)}'.`, start, end, hint)
    this.push("Invalid", this.src.slice(start, end), 0, start, end)
    this.pos = end
  }

  /** A run of characters that start no token, reported once. */
  private invalidRun(start: number): void {
    const src = this.src
    let p = start + 1
    while (p < src.length && !isTokenStart(src.charCodeAt(p))) p++
    const text = src.slice(start, p)
    const shown = showCharacters(text)
    this.report("UnexpectedCharacter", `Unexpected character${text.length > 1 ? "s" : ""} ${shown}.`, start, p, hintFor(text))
    this.push("Invalid", text, 0, start, p)
    this.pos = p
  }
}

/** Quotes printable ASCII and spells other characters as U+XXXX, shortened to 24 characters. */
const showCharacters = (text: string): string => {
  const shown = text.length > 24 ? text.slice(0, 24) : text
  const printable = /^[\x21-\x7e]*$/.test(shown)
  const spelled = printable
    ? `'${shown}'`
    : [...shown].map((ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`).join(" ")
  return text.length > 24 ? `${spelled}...` : spelled
}

const hintFor = (text: string): string | undefined => {
  if (text.startsWith("&&")) return "Write `and` for logical and."
  if (text.startsWith("||")) return "Write `or` for logical or."
  if (text.startsWith("'")) return "Strings use double quotes: \"text\"."
  return undefined
}
