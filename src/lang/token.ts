/**
 * The tokens of constellation-lang: what the lexer produces and the parser
 * reads. A string literal is several tokens (`StringStart`, `StringText`,
 * `InterpStart` ... `InterpEnd`, `StringEnd`) so that interpolations nest to
 * any depth without recursion in the lexer.
 */
import type { Span } from "./span.js"

/** The reserved words; none of them can name a variable, an input or a type. */
export const keywords = ["in", "out", "type", "if", "else", "when", "and", "or", "not", "true", "false", "with", "match", "is"] as const

export type Keyword = (typeof keywords)[number]

export type Punctuation =
  | "(" | ")" | "[" | "]" | "{" | "}"
  | "<" | ">" | "<=" | ">=" | "==" | "!="
  | "=" | "+" | "-" | "*" | "/" | "," | ":" | "." | "??" | "@"
  /** `=>` between a lambda's parameters and its body; `->` between a `branch` case's condition and value. */
  | "=>" | "->"
  | "|"

export type TokenKind =
  | "Ident"
  | "Int"
  | "Float"
  /** A number immediately followed by `ms`, `s`, `min`, `h` or `d`; `value` is in milliseconds. */
  | "Duration"
  /** The opening `"` of a string. */
  | "StringStart"
  /** A run of string text; `text` holds it with escapes already applied. */
  | "StringText"
  /** `${` inside a string. */
  | "InterpStart"
  /** The `}` that closes an interpolation. */
  | "InterpEnd"
  /** The closing `"` (zero width when the string was unterminated). */
  | "StringEnd"
  /** Text the lexer already reported (bad character, number or duration). */
  | "Invalid"
  | "EOF"
  | Keyword
  | Punctuation

export interface Token {
  readonly kind: TokenKind
  /** Identifier name, keyword or punctuation spelling, source text of a number, or cooked string text. */
  readonly text: string
  /** The number of an `Int` or `Float`, the milliseconds of a `Duration`; 0 otherwise. */
  readonly value: number
  readonly span: Span
  /** True when a line break (or the start of the source) comes before the token. */
  readonly lineBreakBefore: boolean
}

export const keywordKinds: ReadonlyMap<string, Keyword> = new Map(keywords.map((k) => [k, k]))

/** True for the keywords, which may still name a record field (`x.type`, `{in: 1}`). */
export const isKeyword = (kind: TokenKind): kind is Keyword => keywordKinds.has(kind)

/** Describes a token for a message: `'('`, `'out'`, `the name 'upper'`, `the end of the file`. */
export const describeToken = (token: Token): string => {
  switch (token.kind) {
    case "Ident":
      return `the name '${token.text}'`
    case "Int":
    case "Float":
      return `the number ${token.text}`
    case "Duration":
      return `the duration ${token.text}`
    case "StringStart":
      return "a string"
    case "StringText":
      return "string text"
    case "InterpStart":
      return "'${'"
    case "InterpEnd":
      return "'}'"
    case "StringEnd":
      return "the end of the string"
    case "Invalid":
      return `'${token.text}'`
    case "EOF":
      return "the end of the file"
    default:
      return `'${token.kind}'`
  }
}
