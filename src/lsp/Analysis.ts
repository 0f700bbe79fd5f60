/**
 * One version of a document, analysed: parsed and checked against the
 * registry (the compiler's own parser and checker, never a copy), its
 * diagnostics, and the index of its names. Everything the language
 * features answer from; built once per version and cached by the server.
 */
import type { Program } from "../lang/ast.js"
import { check } from "../lang/checker/check.js"
import type { CheckedProgram } from "../lang/checker/CheckedProgram.js"
import { sortDiagnostics } from "../lang/diagnostic.js"
import type { Diagnostic } from "../lang/diagnostic.js"
import { lex } from "../lang/lexer.js"
import { parse } from "../lang/parser.js"
import type { Token } from "../lang/token.js"
import type { ModuleRegistryShape } from "../modules/ModuleRegistry.js"
import { makeLineIndex } from "./LineIndex.js"
import type { LineIndex } from "./LineIndex.js"
import { indexSymbols } from "./SymbolIndex.js"
import type { SymbolIndex } from "./SymbolIndex.js"

export interface Analysis {
  readonly text: string
  readonly registry: ModuleRegistryShape
  readonly lines: LineIndex
  readonly program: Program
  /** Every diagnostic of the parser and the checker, sorted by position. */
  readonly diagnostics: ReadonlyArray<Diagnostic>
  /** The checker's tables (types of expressions, resolved calls); partial when there are diagnostics. */
  readonly checked: CheckedProgram
  /** The names and what they stand for (built on first use). */
  readonly symbols: SymbolIndex
  /** The tokens, lexed on first use (completion and highlighting need them, diagnostics do not). */
  readonly tokens: () => ReadonlyArray<Token>
}

/** Parses and checks `text`. Never throws on any input. */
export const analyze = (text: string, registry: ModuleRegistryShape): Analysis => {
  const parsed = parse(text)
  const result = check(parsed.program, registry)
  let tokens: ReadonlyArray<Token> | undefined
  let symbols: SymbolIndex | undefined
  return {
    text,
    registry,
    lines: makeLineIndex(text),
    program: parsed.program,
    diagnostics: sortDiagnostics([...parsed.diagnostics, ...result.diagnostics]),
    checked: result.checked,
    // Diagnostics without related locations need no index: it is built on first use.
    get symbols() {
      return (symbols ??= indexSymbols(parsed.program, text))
    },
    tokens: () => (tokens ??= lex(text).tokens)
  }
}
