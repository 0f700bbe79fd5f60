/**
 * Hover: what the name or expression under the caret is. A declared name
 * shows its kind and type, a module call the module's signature and
 * description, a `with` option its meaning, and any other expression its
 * type as the checker inferred it.
 */
import type { Hover } from "vscode-languageserver"
import type { Expr } from "../lang/ast.js"
import { printType } from "../lang/types.js"
import type { Analysis } from "./Analysis.js"
import { optionDocs, optionMarkdown } from "./callOptions.js"
import { spanContains } from "./exprChildren.js"
import { callableMarkdown, importsOf, resolveCallable } from "./functions.js"
import { exprPath } from "./nodeAt.js"
import type { Occurrence, SymbolDef } from "./SymbolIndex.js"
import { describeType, symbolType } from "./symbolType.js"

const code = (text: string): string => ["```constellation", text, "```"].join("\n")

/** Longer expressions are shortened in a hover. */
const MAX_EXPR = 60

const kindLabel: Record<SymbolDef["kind"], string> = {
  input: "input",
  assignment: "value",
  type: "type",
  namespace: "namespace alias",
  parameter: "parameter",
  binding: "match binding"
}

const symbolHover = (analysis: Analysis, o: Occurrence): string => {
  const { symbol } = o
  const label = kindLabel[symbol.kind]
  if (symbol.kind === "type") {
    const decl = analysis.program.declarations.find((d) => d._tag === "TypeAlias" && d.name.name === symbol.name)
    const written = decl?._tag === "TypeAlias" ? analysis.text.slice(decl.type.span.start.offset, decl.type.span.end.offset) : "?"
    return code(`type ${symbol.name} = ${written}`)
  }
  if (symbol.kind === "namespace") {
    const decl = analysis.program.declarations.find((d) => d._tag === "UseDecl" && d.alias?.name === symbol.name)
    const path = decl?._tag === "UseDecl" ? decl.path.map((p) => p.name).join(".") : "?"
    return `${code(`use ${path} as ${symbol.name}`)}\n\n(${label})`
  }
  const type = (o.expr === undefined ? undefined : analysis.checked.types.get(o.expr)) ?? symbolType(analysis, symbol)
  const printed = type === undefined ? "?" : printType(type)
  const written = describeType(analysis, symbol) ?? printed
  const expanded = written === printed ? "" : `\n\n\`${written}\` is \`${printed}\``
  const outputs = symbol.kind === "input" || symbol.kind === "assignment"
    ? analysis.program.declarations.some((d) => d._tag === "OutputDecl" && d.name.name === symbol.name)
    : false
  return `${code(`(${label}) ${symbol.name}: ${written}`)}${expanded}${outputs ? "\n\nAn output of the pipeline." : ""}`
}

const shorten = (text: string): string => {
  const flat = text.replace(/\s+/g, " ")
  return flat.length <= MAX_EXPR ? flat : `${flat.slice(0, MAX_EXPR - 1)}…`
}

const callHover = (analysis: Analysis, call: Extract<Expr, { readonly _tag: "Call" }>): string | undefined => {
  const info = analysis.checked.calls.get(call)
  const callable = resolveCallable(analysis.registry, importsOf(analysis.program, analysis.registry), info?.module.name ?? call.callee.name)
  if (callable === undefined) return undefined
  const type = analysis.checked.types.get(call)
  const here = type === undefined || type._tag === "Unknown" ? "" : `\n\nThis call:\n${code(`${shorten(analysis.text.slice(call.span.start.offset, call.span.end.offset))}: ${printType(type)}`)}`
  return `${callableMarkdown(callable)}${here}`
}

/** The hover at `offset`, or `null` over nothing worth saying. */
export const hoverAt = (analysis: Analysis, offset: number): Hover | null => {
  const occurrence = analysis.symbols.at(offset)
  if (occurrence !== undefined) {
    return { contents: { kind: "markdown", value: symbolHover(analysis, occurrence) }, range: analysis.lines.rangeOf(occurrence.span) }
  }
  const path = exprPath(analysis.program, offset)
  for (let i = path.length - 1; i >= 0; i--) {
    const e = path[i]!
    if (e._tag !== "Call") continue
    if (spanContains(e.callee.span, offset)) {
      const value = callHover(analysis, e)
      return value === undefined ? null : { contents: { kind: "markdown", value }, range: analysis.lines.rangeOf(e.callee.span) }
    }
    const option = e.options.find((o) => spanContains(o.name.span, offset))
    const doc = option === undefined ? undefined : optionDocs.get(option.name.name)
    if (option !== undefined && doc !== undefined) {
      return { contents: { kind: "markdown", value: optionMarkdown(doc) }, range: analysis.lines.rangeOf(option.name.span) }
    }
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const e = path[i]!
    const type = analysis.checked.types.get(e)
    // Unknown is what a failed check leaves: its diagnostic says more.
    if (type === undefined || type._tag === "Unknown") continue
    const text = e._tag === "FieldAccess" && spanContains(e.field.span, offset)
      ? `.${e.field.name}`
      : shorten(analysis.text.slice(e.span.start.offset, e.span.end.offset))
    return { contents: { kind: "markdown", value: code(`${text}: ${printType(type)}`) }, range: analysis.lines.rangeOf(e.span) }
  }
  return null
}
