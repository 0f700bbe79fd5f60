/**
 * Every name of a document and what it stands for: the definitions of
 * inputs, assignments, type aliases, `use` aliases, lambda parameters and
 * match bindings, and each place that names one of them. Lambda parameters
 * and match bindings are scoped lexically, as the checker scopes them.
 * The same walk records what each other name is (a module, a type, a
 * field, an option) for highlighting.
 */
import type { Declaration, Expr, Identifier, Program, TypeExpr } from "../lang/ast.js"
import type { Span } from "../lang/span.js"
import { exprChildren } from "./exprChildren.js"

export type SymbolKind = "input" | "assignment" | "type" | "namespace" | "parameter" | "binding"

/** One thing a name can stand for. Two definitions of one name (an error) share their symbol. */
export interface SymbolDef {
  readonly name: string
  readonly kind: SymbolKind
  /** Where it is defined: the name's span in each defining declaration, the first one first. */
  readonly definitions: Array<Span>
  /** The whole declaration (or parameter) of the first definition. */
  readonly declaration: Span
  /** The expression a parameter or binding belongs to (for its type). */
  readonly owner?: Expr
  /** Where a parameter or binding can be named: its lambda, or its match arm. */
  readonly scope?: Span
}

/** A place that names a symbol. */
export interface Occurrence {
  readonly symbol: SymbolDef
  readonly span: Span
  readonly isDefinition: boolean
  /** The variable expression of a read (its type is the checker's). */
  readonly expr?: Expr
}

/** What a name that is no symbol is, for highlighting. */
export type NameRole = "function" | "namespace" | "type" | "property" | "option" | "optionValue" | "unresolved"

export interface NameMark {
  readonly role: NameRole
  readonly start: number
  readonly end: number
}

export interface SymbolIndex {
  /** Inputs and assignments by name. */
  readonly values: ReadonlyMap<string, SymbolDef>
  readonly types: ReadonlyMap<string, SymbolDef>
  readonly aliases: ReadonlyMap<string, SymbolDef>
  /** Every occurrence, sorted by offset. */
  readonly occurrences: ReadonlyArray<Occurrence>
  /** Names that are no symbol, sorted by offset. */
  readonly marks: ReadonlyArray<NameMark>
  /** The occurrence the caret at `offset` is on (just after a name counts). */
  readonly at: (offset: number) => Occurrence | undefined
  /** Every occurrence of a symbol, in source order. */
  readonly occurrencesOf: (symbol: SymbolDef) => ReadonlyArray<Occurrence>
}

const markSpan = (marks: Array<NameMark>, role: NameRole, span: Span): void => {
  marks.push({ role, start: span.start.offset, end: span.end.offset })
}

/** Builds the index of a parsed program (partial programs too). */
export const indexSymbols = (program: Program, source: string): SymbolIndex => {
  const values = new Map<string, SymbolDef>()
  const types = new Map<string, SymbolDef>()
  const aliases = new Map<string, SymbolDef>()
  const occurrences: Array<Occurrence> = []
  const marks: Array<NameMark> = []

  const define = (table: Map<string, SymbolDef>, kind: SymbolKind, name: Identifier, declaration: Span): void => {
    const existing = table.get(name.name)
    if (existing === undefined) {
      const symbol: SymbolDef = { name: name.name, kind, definitions: [name.span], declaration }
      table.set(name.name, symbol)
      occurrences.push({ symbol, span: name.span, isDefinition: true })
    } else {
      existing.definitions.push(name.span)
      occurrences.push({ symbol: existing, span: name.span, isDefinition: true })
    }
  }
  for (const decl of program.declarations) {
    switch (decl._tag) {
      case "InputDecl":
        define(values, "input", decl.name, decl.span)
        break
      case "Assignment":
        define(values, "assignment", decl.name, decl.span)
        break
      case "TypeAlias":
        define(types, "type", decl.name, decl.span)
        break
      case "UseDecl":
        if (decl.alias !== undefined) define(aliases, "namespace", decl.alias, decl.span)
        break
      default:
        break
    }
  }

  /** The name of a generic type (`List` in `List<Int>`), which the AST does not keep apart. */
  const markGeneric = (span: Span): void => {
    let end = span.start.offset
    while (end < span.end.offset && /[A-Za-z]/.test(source[end]!)) end++
    if (end > span.start.offset) marks.push({ role: "type", start: span.start.offset, end })
  }

  const walkType = (t: TypeExpr): void => {
    switch (t._tag) {
      case "NamedType": {
        const symbol = types.get(t.name)
        if (symbol !== undefined) occurrences.push({ symbol, span: t.span, isDefinition: false })
        else if (t.name !== "") markSpan(marks, "type", t.span)
        return
      }
      case "ListType":
        markGeneric(t.span)
        return walkType(t.element)
      case "OptionalType":
        markGeneric(t.span)
        return walkType(t.inner)
      case "MapType":
        markGeneric(t.span)
        walkType(t.key)
        return walkType(t.value)
      case "RecordType":
        for (const f of t.fields) {
          markSpan(marks, "property", f.name.span)
          walkType(f.type)
        }
        return
      case "UnionType":
        return t.members.forEach(walkType)
      case "MergeType":
        walkType(t.left)
        return walkType(t.right)
    }
  }

  /** Marks a callee: `m.add` is the alias `m` (a symbol) or namespace segments, then the function. */
  const walkCallee = (callee: Identifier): void => {
    const segments = callee.name.split(".")
    let offset = callee.span.start.offset
    segments.forEach((segment, i) => {
      const at = source.indexOf(segment, offset)
      const start = at < 0 || at > callee.span.end.offset ? offset : at
      const span: Span = {
        start: { line: callee.span.start.line, column: callee.span.start.column + (start - callee.span.start.offset), offset: start },
        end: { line: callee.span.start.line, column: callee.span.start.column + (start - callee.span.start.offset) + segment.length, offset: start + segment.length }
      }
      offset = start + segment.length
      const alias = i === 0 && segments.length > 1 ? aliases.get(segment) : undefined
      if (alias !== undefined) occurrences.push({ symbol: alias, span, isDefinition: false })
      else markSpan(marks, i === segments.length - 1 ? "function" : "namespace", span)
    })
  }

  const walk = (e: Expr, locals: ReadonlyMap<string, SymbolDef>): void => {
    switch (e._tag) {
      case "Variable": {
        const symbol = locals.get(e.name) ?? values.get(e.name)
        if (symbol !== undefined) occurrences.push({ symbol, span: e.span, isDefinition: false, expr: e })
        else markSpan(marks, "unresolved", e.span)
        return
      }
      case "Lambda": {
        const inner = new Map(locals)
        for (const param of e.params) {
          const existing = inner.get(param.name.name)
          const symbol: SymbolDef = existing !== undefined && existing.owner === e
            ? existing
            : { name: param.name.name, kind: "parameter", definitions: [], declaration: param.span, owner: e, scope: e.span }
          symbol.definitions.push(param.name.span)
          inner.set(param.name.name, symbol)
          occurrences.push({ symbol, span: param.name.span, isDefinition: true })
          if (param.type !== undefined) walkType(param.type)
        }
        return walk(e.body, inner)
      }
      case "Match": {
        walk(e.scrutinee, locals)
        for (const arm of e.arms) {
          const inner = new Map(locals)
          if (arm.pattern._tag === "RecordPattern") {
            for (const field of arm.pattern.fields) {
              const symbol: SymbolDef = { name: field.name, kind: "binding", definitions: [field.span], declaration: arm.pattern.span, owner: e, scope: arm.span }
              inner.set(field.name, symbol)
              occurrences.push({ symbol, span: field.span, isDefinition: true })
            }
          } else if (arm.pattern._tag === "TypePattern") walkType(arm.pattern.type)
          walk(arm.body, inner)
        }
        return
      }
      case "Call":
        walkCallee(e.callee)
        for (const option of e.options) {
          markSpan(marks, "option", option.name.span)
          if (option._tag === "WordOption" && option.name.name !== "fallback") markSpan(marks, "optionValue", option.valueSpan)
        }
        break
      case "FieldAccess":
        markSpan(marks, "property", e.field.span)
        break
      case "Projection":
        for (const f of e.fields) markSpan(marks, "property", f.span)
        break
      case "RecordLiteral":
        for (const f of e.fields) markSpan(marks, "property", f.name.span)
        break
      default:
        break
    }
    for (const child of exprChildren(e)) walk(child, locals)
  }

  const none: ReadonlyMap<string, SymbolDef> = new Map()
  for (const decl of program.declarations) walkDeclaration(decl)

  function walkDeclaration(decl: Declaration): void {
    switch (decl._tag) {
      case "InputDecl":
        walkType(decl.type)
        if (decl.example !== undefined) walk(decl.example, none)
        return
      case "OutputDecl": {
        const symbol = values.get(decl.name.name)
        if (symbol !== undefined) occurrences.push({ symbol, span: decl.name.span, isDefinition: false })
        else markSpan(marks, "unresolved", decl.name.span)
        if (decl.type !== undefined) walkType(decl.type)
        return
      }
      case "Assignment":
        return walk(decl.value, none)
      case "TypeAlias":
        return walkType(decl.type)
      case "UseDecl":
        for (const segment of decl.path) markSpan(marks, "namespace", segment.span)
        return
    }
  }

  occurrences.sort((a, b) => a.span.start.offset - b.span.start.offset)
  marks.sort((a, b) => a.start - b.start)
  const bySymbol = new Map<SymbolDef, Array<Occurrence>>()
  for (const o of occurrences) {
    const list = bySymbol.get(o.symbol)
    if (list === undefined) bySymbol.set(o.symbol, [o])
    else list.push(o)
  }

  const at = (offset: number): Occurrence | undefined => {
    let low = 0
    let high = occurrences.length - 1
    let found: Occurrence | undefined
    while (low <= high) {
      const mid = (low + high) >> 1
      const o = occurrences[mid]!
      if (o.span.start.offset <= offset) {
        if (offset <= o.span.end.offset) found = o
        low = mid + 1
      } else high = mid - 1
    }
    return found
  }

  return { values, types, aliases, occurrences, marks, at, occurrencesOf: (symbol) => bySymbol.get(symbol) ?? [] }
}
