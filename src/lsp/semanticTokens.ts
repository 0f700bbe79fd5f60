/**
 * Semantic highlighting: each token of the lexer classified by what it is
 * in the program (an input, a value, a parameter, a module, a type, a
 * field, an option), in the LSP's relative encoding. Comments are not
 * tokens; the TextMate grammar colours them.
 */
import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver"
import { isKeyword } from "../lang/token.js"
import type { Analysis } from "./Analysis.js"
import type { NameRole, SymbolKind } from "./SymbolIndex.js"

const tokenTypes = ["namespace", "type", "parameter", "variable", "property", "function", "keyword", "string", "number", "operator", "enumMember", "decorator"] as const
const tokenModifiers = ["declaration", "readonly", "defaultLibrary"] as const

type TokenType = (typeof tokenTypes)[number]

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] }

const typeIndex = (t: TokenType): number => tokenTypes.indexOf(t)
const DECLARATION = 1
const READONLY = 2

const bySymbol: Record<SymbolKind, TokenType> = {
  input: "variable",
  assignment: "variable",
  type: "type",
  namespace: "namespace",
  parameter: "parameter",
  binding: "variable"
}

const byRole: Record<NameRole, TokenType | undefined> = {
  function: "function",
  namespace: "namespace",
  type: "type",
  property: "property",
  option: "property",
  optionValue: "enumMember",
  unresolved: "variable"
}

/** The semantic tokens of a whole document. */
export const semanticTokens = (analysis: Analysis): SemanticTokens => {
  const { symbols, lines } = analysis
  const named = new Map<number, readonly [TokenType, number]>()
  for (const m of symbols.marks) {
    const type = byRole[m.role]
    if (type !== undefined) named.set(m.start, [type, 0])
  }
  for (const o of symbols.occurrences) {
    named.set(o.span.start.offset, [bySymbol[o.symbol.kind], (o.isDefinition ? DECLARATION : 0) | (o.symbol.kind === "input" || o.symbol.kind === "assignment" ? READONLY : 0)])
  }
  const data: Array<number> = []
  let line = 0
  let character = 0
  const push = (start: number, length: number, type: TokenType, modifiers: number) => {
    if (length <= 0) return
    const at = lines.positionAt(start)
    const end = lines.positionAt(start + length)
    // Tokens do not span lines in LSP; a multi-line token keeps its first line.
    const len = end.line === at.line ? length : analysis.text.indexOf("\n", start) - start
    if (len <= 0) return
    data.push(at.line - line, at.line === line ? at.character - character : at.character, len, typeIndex(type), modifiers)
    line = at.line
    character = at.character
  }
  for (const t of analysis.tokens()) {
    const start = t.span.start.offset
    const length = t.span.end.offset - start
    const mark = named.get(start)
    if (mark !== undefined) {
      // A qualified name's segments are separate tokens: each has its own mark.
      push(start, length, mark[0], mark[1])
      continue
    }
    if (t.kind === "Ident") {
      if (t.text === "use" || t.text === "as" || t.text === "branch" || t.text === "otherwise") push(start, length, "keyword", 0)
      continue
    }
    if (isKeyword(t.kind)) push(start, length, "keyword", 0)
    else if (t.kind === "Int" || t.kind === "Float" || t.kind === "Duration") push(start, length, "number", 0)
    else if (t.kind === "StringStart" || t.kind === "StringText" || t.kind === "StringEnd") push(start, length, "string", 0)
    else if (t.kind === "@") push(start, length, "decorator", 0)
  }
  return { data }
}
