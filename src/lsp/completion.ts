/**
 * Completion, from the tokens before the caret (the text being typed
 * rarely parses) and the last analysis: record fields after `.`,
 * namespace members after a namespace or alias, `with` options and their
 * values, types after `:` in declarations, namespaces after `use`, and in
 * an expression the values, parameters, modules and list functions in
 * scope.
 */
import { CompletionItemKind, InsertTextFormat } from "vscode-languageserver"
import type { CompletionItem } from "vscode-languageserver"
import type { Token } from "../lang/token.js"
import { printType, recordField } from "../lang/types.js"
import type { Type } from "../lang/types.js"
import type { Analysis } from "./Analysis.js"
import { optionDocs, optionMarkdown } from "./callOptions.js"
import { caretTokens, chainBefore, openBracketBefore } from "./caretTokens.js"
import { spanContains } from "./exprChildren.js"
import { callableMarkdown, importsOf, listFunctionCallables, moduleCallable } from "./functions.js"
import type { Callable, Imports } from "./functions.js"
import { describeType, symbolType } from "./symbolType.js"
import type { SymbolDef } from "./SymbolIndex.js"
import { typeCompletions } from "./typeCompletions.js"

export interface CompletionOptions {
  /** Whether the client takes snippets (`Uppercase(${1:text})`). */
  readonly snippets: boolean
}

const expressionKeywords = ["if", "else", "when", "and", "or", "not", "true", "false", "match", "branch", "otherwise"]
const declarationKeywords = ["in", "out", "type", "use"]

const keywordItems = (words: ReadonlyArray<string>): Array<CompletionItem> =>
  words.map((label) => ({ label, kind: CompletionItemKind.Keyword, sortText: `4${label}` }))

const valueItem = (analysis: Analysis, symbol: SymbolDef, sort: string): CompletionItem => {
  const type = describeType(analysis, symbol)
  return {
    label: symbol.name,
    kind: symbol.kind === "input" ? CompletionItemKind.Field : symbol.kind === "assignment" ? CompletionItemKind.Variable : CompletionItemKind.TypeParameter,
    detail: `${symbol.kind === "assignment" ? "value" : symbol.kind}${type === undefined ? "" : `: ${type}`}`,
    sortText: `${sort}${symbol.name}`
  }
}

const functionItem = (c: Callable, label: string, options: CompletionOptions): CompletionItem => {
  const required = c.params.filter((p) => !p.label.includes(" = "))
  const placeholders = c.kind === "listFunction"
    ? ["${1:list}", "(${2:x}) => ${3}"]
    : required.map((p, i) => `\${${i + 1}:${p.name}}`)
  return {
    label,
    kind: CompletionItemKind.Function,
    detail: c.signature,
    documentation: { kind: "markdown", value: callableMarkdown(c) },
    sortText: `3${label}`,
    ...(options.snippets ? { insertText: `${label}(${placeholders.join(", ")})`, insertTextFormat: InsertTextFormat.Snippet } : {})
  }
}

/** The names a function can be called by here: top-level modules, members of imported namespaces, members unique across namespaces. */
const functionItems = (analysis: Analysis, imports: Imports, options: CompletionOptions): Array<CompletionItem> => {
  const items = new Map<string, CompletionItem>()
  const { index } = imports
  for (const m of analysis.registry.list()) {
    if (!m.name.includes(".")) items.set(m.name, functionItem(moduleCallable(m), m.name, options))
  }
  for (const [simple, qualified] of index.bySimpleName) {
    const imported = qualified.filter((q) => imports.wildcards.some((w) => q === `${w}.${simple}`))
    const only = imported.length === 1 ? imported[0] : qualified.length === 1 ? qualified[0] : undefined
    const m = only === undefined ? undefined : analysis.registry.get(only)
    if (m !== undefined && !items.has(simple)) items.set(simple, functionItem(moduleCallable(m), simple, options))
  }
  for (const c of listFunctionCallables()) items.set(c.name, functionItem(c, c.name, options))
  const roots = new Set([...index.namespaces].map((n) => n.split(".")[0]!))
  for (const root of [...roots, ...imports.aliases.keys()]) {
    items.set(root, { label: root, kind: CompletionItemKind.Module, detail: imports.aliases.has(root) ? `alias of ${imports.aliases.get(root)}` : "namespace", sortText: `5${root}` })
  }
  return [...items.values()]
}

const expressionItems = (analysis: Analysis, offset: number, options: CompletionOptions): Array<CompletionItem> => {
  const items: Array<CompletionItem> = []
  const seen = new Set<string>()
  for (const o of analysis.symbols.occurrences) {
    const { symbol } = o
    if (!o.isDefinition || symbol.scope === undefined || !spanContains(symbol.scope, offset) || seen.has(symbol.name)) continue
    seen.add(symbol.name)
    items.push(valueItem(analysis, symbol, "0"))
  }
  for (const symbol of analysis.symbols.values.values()) if (!seen.has(symbol.name)) items.push(valueItem(analysis, symbol, "1"))
  return [...items, ...functionItems(analysis, importsOf(analysis.program, analysis.registry), options), ...keywordItems(expressionKeywords)]
}

/** The type of the expression ending where the `.` at `dot` starts, as the checker typed it. */
const typeEndingAt = (analysis: Analysis, dot: number): Type | undefined => {
  let best: { readonly start: number; readonly type: Type } | undefined
  for (const [e, type] of analysis.checked.types) {
    if (e.span.end.offset !== dot || e._tag === "ErrorExpr" || type._tag === "Unknown") continue
    if (best === undefined || e.span.start.offset < best.start) best = { start: e.span.start.offset, type }
  }
  return best?.type
}

/** The type of a dotted chain of names (`user.address`), from the symbols' types. */
const chainType = (analysis: Analysis, chain: ReadonlyArray<string>, offset: number): Type | undefined => {
  const local = analysis.symbols.occurrences.find((o) =>
    o.isDefinition && o.symbol.name === chain[0] && o.symbol.scope !== undefined && spanContains(o.symbol.scope, offset))?.symbol
  const symbol = local ?? analysis.symbols.values.get(chain[0]!)
  let type = symbol === undefined ? undefined : symbolType(analysis, symbol)
  for (const field of chain.slice(1)) {
    if (type === undefined) return undefined
    let element: Type = type
    let depth = 0
    while (element._tag === "List") {
      element = element.element
      depth++
    }
    const next = recordField(element, field)
    if (next === undefined) return undefined
    type = next
    for (let i = 0; i < depth; i++) type = { _tag: "List", element: type }
  }
  return type
}

const fieldItems = (type: Type): Array<CompletionItem> => {
  let element = type
  while (element._tag === "List") element = element.element
  if (element._tag !== "Record") return []
  return element.fields.map(([name, t]) => ({ label: name, kind: CompletionItemKind.Field, detail: printType(t), sortText: `0${name}` }))
}

/** The namespace a written chain names (`m` for an alias, `math` for an imported `stdlib.math`). */
const namespaceOf = (imports: Imports, chain: ReadonlyArray<string>): string => {
  const [first, ...rest] = chain
  const expanded = imports.aliases.get(first!) ?? imports.wildcards.find((w) => w.endsWith(`.${first}`) && !imports.index.namespaces.has(first!)) ?? first!
  return [expanded, ...rest].join(".")
}

const namespaceItems = (analysis: Analysis, imports: Imports, namespace: string, functions: boolean, options: CompletionOptions): Array<CompletionItem> => {
  const items: Array<CompletionItem> = []
  const children = new Set<string>()
  for (const n of imports.index.namespaces) {
    if (namespace === "" ? !n.includes(".") : n.startsWith(`${namespace}.`)) children.add(n.slice(namespace === "" ? 0 : namespace.length + 1).split(".")[0]!)
  }
  for (const child of children) items.push({ label: child, kind: CompletionItemKind.Module, detail: namespace === "" ? child : `${namespace}.${child}`, sortText: `1${child}` })
  if (!functions) return items
  for (const [member, qualified] of imports.index.members.get(namespace) ?? []) {
    const m = analysis.registry.get(qualified)
    const callable = m !== undefined ? moduleCallable(m) : [...listFunctionCallables()].find((c) => c.name === member)
    if (callable !== undefined) items.push(functionItem(callable, member, options))
  }
  return items
}

const optionItems = (): Array<CompletionItem> =>
  [...optionDocs.values()].map((d) => ({
    label: d.name,
    kind: CompletionItemKind.Property,
    detail: d.value.replace(/`/g, ""),
    documentation: { kind: "markdown", value: optionMarkdown(d) },
    insertText: d.insert,
    sortText: `0${d.name}`
  }))

/** Whether token `i` follows a `with` of the call it is in (at the same bracket depth). */
const inWith = (tokens: ReadonlyArray<Token>, i: number): boolean => {
  let depth = 0
  for (let j = i; j >= 0; j--) {
    const t = tokens[j]!
    if (t.kind === ")" || t.kind === "]" || t.kind === "}") depth++
    else if (t.kind === "(" || t.kind === "[" || t.kind === "{") {
      if (depth === 0) return false
      depth--
    } else if (depth === 0 && t.kind === "with") return true
    else if (depth === 0 && t.lineBreakBefore && (t.kind === "in" || t.kind === "out" || t.kind === "type" || tokens[j + 1]?.kind === "=")) return false
  }
  return false
}

/** Whether the caret after token `i` stands where a type is written: after `:` of `in`/`out`, `=` of `type`, or `is`. */
const inTypePosition = (tokens: ReadonlyArray<Token>, i: number): boolean => {
  for (let j = i; j >= 0; j--) {
    const t = tokens[j]!
    if (t.kind === ":" && tokens[j - 1]?.kind === "Ident" && (tokens[j - 2]?.kind === "in" || tokens[j - 2]?.kind === "out")) return true
    if (t.kind === "=" && tokens[j - 2]?.kind === "type") return true
    if (t.kind === "is" && j === i) return true
    if (t.lineBreakBefore && j < i) return false
  }
  return false
}

/** The completion items at `offset`. */
export const completionsAt = (analysis: Analysis, offset: number, options: CompletionOptions): Array<CompletionItem> => {
  const caret = caretTokens(analysis.tokens(), analysis.text, offset)
  if (caret.inText) return []
  const { tokens } = caret
  const prev = caret.prev >= 0 ? tokens[caret.prev] : undefined
  const imports = importsOf(analysis.program, analysis.registry)
  const lineStart = analysis.text.lastIndexOf("\n", offset - 1) + 1
  const before = analysis.text.slice(lineStart, caret.word?.span.start.offset ?? offset)

  const firstOnLine = tokens.find((t) => t.span.start.offset >= lineStart && t.kind !== "EOF")
  if (firstOnLine !== undefined && firstOnLine.kind === "Ident" && firstOnLine.text === "use" && firstOnLine.span.start.offset < offset) {
    if (prev?.kind === ".") return namespaceItems(analysis, imports, chainBefore(tokens, caret.prev - 1).join("."), false, options)
    return prev === firstOnLine ? namespaceItems(analysis, imports, "", false, options) : []
  }
  if (prev?.kind === ".") {
    const chain = chainBefore(tokens, caret.prev - 1)
    const isNamespace = chain.length > 0 && !analysis.symbols.values.has(chain[0]!) && chainType(analysis, chain.slice(0, 1), offset) === undefined
    if (isNamespace) return namespaceItems(analysis, imports, namespaceOf(imports, chain), true, options)
    const type = typeEndingAt(analysis, prev.span.start.offset) ?? (chain.length > 0 ? chainType(analysis, chain, offset) : undefined)
    return type === undefined ? [] : fieldItems(type)
  }
  if (prev?.kind === "@") return [{ label: "example", kind: CompletionItemKind.Keyword, insertText: "example", detail: "@example(value): an input's example value" }]
  if (prev?.kind === ":") {
    const name = tokens[caret.prev - 1]
    const option = name?.kind === "Ident" ? optionDocs.get(name.text) : undefined
    if (option !== undefined && option.name !== "fallback" && inWith(tokens, caret.prev - 1)) {
      return option.words.map((w) => ({ label: w, kind: CompletionItemKind.EnumMember, detail: option.name }))
    }
    if (inTypePosition(tokens, caret.prev)) return typeCompletions(analysis)
    return expressionItems(analysis, offset, options)
  }
  if (prev !== undefined && (prev.kind === "with" || (prev.kind === "," && inWith(tokens, caret.prev)))) return optionItems()
  if (prev !== undefined && inTypePosition(tokens, caret.prev) && ["<", ",", "|", "+", "is", "="].includes(prev.kind)) return typeCompletions(analysis)
  if (prev?.kind === "out" && prev.lineBreakBefore) {
    const outputs = new Set(analysis.program.declarations.flatMap((d) => (d._tag === "OutputDecl" ? [d.name.name] : [])))
    return [...analysis.symbols.values.values()].map((s) => valueItem(analysis, s, outputs.has(s.name) ? "2" : "1"))
  }
  if (prev !== undefined && (prev.kind === "in" || prev.kind === "type") && prev.lineBreakBefore) return []
  if (before.trim() === "" && openBracketBefore(tokens, caret.prev) < 0) {
    if (prev === undefined || !["=", "(", ",", "[", "{", "->", "=>", "+", "-", "*", "/", "and", "or", "not", "??", "if", "else", "when", "with"].includes(prev.kind)) {
      return [...keywordItems(declarationKeywords), { label: "@example", kind: CompletionItemKind.Keyword, insertText: "@example(", detail: "an input's example value" }]
    }
  }
  return expressionItems(analysis, offset, options)
}
