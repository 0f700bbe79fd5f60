/**
 * The parser's cursor over the tokens and its error bookkeeping, shared by
 * the production functions in `parser.ts`, `parseType.ts`,
 * `parseExpression.ts`, `parsePrimary.ts`, `parseCall.ts` and `parseString.ts`.
 *
 * Error recovery is panic mode: the first error in a declaration is
 * reported and sets `recovering`; every production then stops consuming and
 * returns what it has (with `ErrorExpr` where an expression is missing), and
 * the program loop skips to the next line that starts a declaration. So each
 * declaration reports at most one syntax error, and nothing cascades.
 */
import { type Diagnostic, type DiagnosticName, diagnostic } from "./diagnostic.js"
import type { Expr, Identifier } from "./ast.js"
import { emptySpan, type Position, type Span } from "./span.js"
import { describeToken, isKeyword, type Token, type TokenKind } from "./token.js"

export class ParserState {
  index = 0
  /** Current nesting of expressions and types, bounded by `maxDepth`. */
  depth = 0
  /** Set by the first error of a declaration; cleared when the next one starts. */
  recovering = false
  private readonly eof: Token

  constructor(
    readonly tokens: ReadonlyArray<Token>,
    readonly maxDepth: number,
    readonly diagnostics: Array<Diagnostic>
  ) {
    const last = tokens[tokens.length - 1]
    this.eof = last?.kind === "EOF" ? last : { kind: "EOF", text: "", value: 0, span: emptySpan, lineBreakBefore: true }
  }

  get token(): Token {
    return this.tokens[this.index] ?? this.eof
  }

  peek(ahead = 1): Token {
    return this.tokens[this.index + ahead] ?? this.eof
  }

  at(kind: TokenKind): boolean {
    return this.token.kind === kind
  }

  /** Consumes the current token (never moves past `EOF`). */
  advance(): Token {
    const token = this.token
    if (token.kind !== "EOF") this.index++
    return token
  }

  eat(kind: TokenKind): Token | undefined {
    return this.token.kind === kind ? this.advance() : undefined
  }

  /** Where the last consumed token ends. */
  get lastEnd(): Position {
    const previous = this.index > 0 ? this.tokens[this.index - 1] : undefined
    return previous === undefined ? this.token.span.start : previous.span.end
  }

  /** The span from `start` to the end of the last consumed token. */
  spanFrom(start: Position): Span {
    const end = this.lastEnd
    return { start, end: end.offset < start.offset ? start : end }
  }

  /** True when token `i` begins a declaration: `in name`, `out name`, `type Name`, `use name`, `@`, or `name =`. */
  startsDeclaration(i: number): boolean {
    const token = this.tokens[i] ?? this.eof
    const kind = token.kind
    const following = this.tokens[i + 1] ?? this.eof
    const next = following.kind
    if (kind === "Ident" && token.text === "use" && next === "Ident" && !following.lineBreakBefore) return true
    return kind === "@" || (kind === "Ident" ? next === "=" : next === "Ident" && (kind === "in" || kind === "out" || kind === "type"))
  }

  /** True when the current token is the first of a new declaration's line: it cannot continue this one. */
  atNextDeclaration(): boolean {
    return this.token.lineBreakBefore && this.startsDeclaration(this.index)
  }

  /** What an error is about: the current token, or the end of the previous line or of the file. */
  errorSpan(): Span {
    if (this.index > 0 && (this.at("EOF") || this.atNextDeclaration())) return this.missingSpan()
    return this.token.span
  }

  /** Describes the current token for "found ..." in messages. */
  found(): string {
    if (this.at("EOF")) return "the end of the file"
    if (this.index > 0 && this.atNextDeclaration()) return "the end of the line"
    return describeToken(this.token)
  }

  /** Reports the declaration's first error at the current token and starts recovering. */
  fail(name: DiagnosticName, message: string, hint?: string): void {
    this.failAt(name, message, this.errorSpan(), hint)
  }

  /** Reports the declaration's first error at `span` and starts recovering. */
  failAt(name: DiagnosticName, message: string, span: Span, hint?: string): void {
    if (!this.recovering && this.token.kind !== "Invalid") {
      this.diagnostics.push(diagnostic(name, message, span, hint))
    }
    this.recovering = true
  }

  /** Consumes a token of `kind`, or fails with E104 and `message` (to which "found ..." is added). */
  expect(kind: TokenKind, message: string, hint?: string): Token | undefined {
    if (this.at(kind) && !(kind === "Ident" && this.atNextDeclaration())) return this.advance()
    if (!this.recovering) this.fail("UnexpectedToken", `${message}, found ${this.found()}.`, hint)
    return undefined
  }

  /** Consumes the bracket that closes `what`, which opened at `open`. */
  expectClosing(kind: TokenKind, what: string, open: Position, hint?: string): Token | undefined {
    if (this.at(kind)) return this.advance()
    return this.expect(kind, `Expected '${kind}' to close ${what} that starts at ${open.line}:${open.column}`, hint)
  }

  /** Enters one level of nesting, or fails with E107 past `maxDepth`. */
  enter(): boolean {
    if (this.depth >= this.maxDepth) {
      this.fail("NestingTooDeep", `This is nested more than ${this.maxDepth} levels deep.`,
        "Split it into smaller declarations.")
      return false
    }
    this.depth++
    return true
  }

  /** The zero-width span right after the last consumed token, where a missing part belongs. */
  missingSpan(): Span {
    const end = this.lastEnd
    return { start: end, end }
  }

  /** The placeholder for an expression that could not be read (already reported). */
  errorExpr(): Expr {
    return { _tag: "ErrorExpr", span: this.missingSpan() }
  }

  /** Skips to the next line that starts a declaration. */
  synchronize(): void {
    while (!this.at("EOF") && !this.atNextDeclaration()) this.index++
  }
}

/** Makes an `Identifier` node from a name token (keywords allowed, for field names). */
export const identifier = (token: Token): Identifier => ({ _tag: "Identifier", name: token.text, span: token.span })

/** Reads a field name: an identifier or a keyword (`x.type`, `{in: 1}`). */
export const fieldName = (p: ParserState, message: string): Identifier | undefined => {
  const token = p.token
  if ((token.kind === "Ident" || isKeyword(token.kind)) && !p.atNextDeclaration()) return identifier(p.advance())
  p.expect("Ident", message)
  return undefined
}

const closers: ReadonlySet<TokenKind> = new Set(["(", ")", "]", "}", ">", "InterpEnd", "StringEnd"])

/**
 * Items separated by commas (a trailing comma is allowed) up to the bracket
 * `close`; the opening bracket, at `open`, is already consumed. `what` names
 * the construct for the error message ("the list", "the call to Trim").
 */
export const parseDelimited = <T>(
  p: ParserState,
  close: TokenKind,
  what: string,
  open: Position,
  item: (p: ParserState) => T | undefined
): Array<T> => {
  const items: Array<T> = []
  while (!p.recovering && !p.at(close) && !p.at("EOF") && !p.atNextDeclaration()) {
    const value = item(p)
    if (value !== undefined) items.push(value)
    if (p.recovering || p.eat(",") === undefined) break
  }
  if (p.eat(close) === undefined) {
    const lost = p.at("EOF") || p.atNextDeclaration() || closers.has(p.token.kind)
    p.expectClosing(close, what, open, lost ? undefined : "Separate the items with ','.")
  }
  return items
}
