/**
 * The tokens around the caret, for the features that must work on text
 * the parser cannot read yet (completion, signature help): the name being
 * typed, the tokens before it, and whether the caret is in a string's text
 * or a comment, where nothing is completed.
 */
import type { Token } from "../lang/token.js"
import { isKeyword } from "../lang/token.js"

export interface CaretTokens {
  readonly tokens: ReadonlyArray<Token>
  /** The name (or keyword) the caret is in or just after, being typed. */
  readonly word: Token | undefined
  /** The index of the last token before the word (or the caret); -1 when none. */
  readonly prev: number
  /** True in a string's text or a comment. */
  readonly inText: boolean
}

const isWord = (t: Token): boolean => t.kind === "Ident" || isKeyword(t.kind)

/** Whether a `#` before `offset` on its line, outside strings, starts a comment the caret is in. */
const inComment = (source: string, offset: number): boolean => {
  const lineStart = source.lastIndexOf("\n", offset - 1) + 1
  let quoted = false
  for (let i = lineStart; i < offset; i++) {
    const c = source[i]
    if (c === "\\" && quoted) i++
    else if (c === "\"") quoted = !quoted
    else if (c === "#" && !quoted) return true
  }
  return false
}

/** The tokens around `offset` in `source`. */
export const caretTokens = (tokens: ReadonlyArray<Token>, source: string, offset: number): CaretTokens => {
  const stack: Array<"string" | "interp"> = []
  let last = -1
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind === "EOF" || t.span.end.offset > offset) break
    if (t.span.start.offset === t.span.end.offset && t.kind !== "StringEnd") break
    last = i
    if (t.kind === "StringStart") stack.push("string")
    else if (t.kind === "InterpStart") stack.push("interp")
    else if (t.kind === "InterpEnd" || t.kind === "StringEnd") stack.pop()
  }
  const inString = stack[stack.length - 1] === "string"
  const inText = inString || inComment(source, offset)
  const next = tokens[last + 1]
  if (next !== undefined && isWord(next) && next.span.start.offset < offset && offset < next.span.end.offset) {
    return { tokens, word: next, prev: last, inText }
  }
  const lastToken = last >= 0 ? tokens[last] : undefined
  const word = lastToken !== undefined && isWord(lastToken) && lastToken.span.end.offset === offset ? lastToken : undefined
  return { tokens, word, prev: word === undefined ? last : last - 1, inText }
}

/**
 * The names of a dotted chain ending at token `end` (`a.b.c`), first
 * first; empty when token `end` is not a name.
 */
export const chainBefore = (tokens: ReadonlyArray<Token>, end: number): Array<string> => {
  const names: Array<string> = []
  let i = end
  while (i >= 0 && isWord(tokens[i]!)) {
    names.unshift(tokens[i]!.text)
    if (i >= 1 && tokens[i - 1]!.kind === "." && !tokens[i]!.lineBreakBefore) i -= 2
    else break
  }
  return names
}

/** The index of the unmatched opening bracket before token `from` (inclusive), or -1. */
export const openBracketBefore = (tokens: ReadonlyArray<Token>, from: number): number => {
  let depth = 0
  for (let i = from; i >= 0; i--) {
    const kind = tokens[i]!.kind
    if (kind === ")" || kind === "]" || kind === "}" || kind === "InterpEnd") depth++
    else if (kind === "(" || kind === "[" || kind === "{" || kind === "InterpStart") {
      if (depth === 0) return i
      depth--
    }
  }
  return -1
}
