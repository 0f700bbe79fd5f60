/**
 * Test helpers: a fully parenthesized rendering of the AST, so tests can
 * assert structure (precedence, associativity) in one readable line, and a
 * walker that checks every span.
 */
import type { CallOption, Declaration, Expr, Pattern, StringPart, TypeExpr } from "../../src/lang/ast.js"
import type { Span } from "../../src/lang/span.js"

export const showType = (t: TypeExpr): string => {
  switch (t._tag) {
    case "NamedType":
      return t.name === "" ? "<missing>" : t.name
    case "ListType":
      return `List<${showType(t.element)}>`
    case "OptionalType":
      return `Optional<${showType(t.inner)}>`
    case "RecordType":
      return `{${t.fields.map((f) => `${f.name.name}: ${showType(f.type)}`).join(", ")}}`
    case "MapType":
      return `Map<${showType(t.key)}, ${showType(t.value)}>`
    case "UnionType":
      return `(${t.members.map(showType).join(" | ")})`
    case "MergeType":
      return `(${showType(t.left)} + ${showType(t.right)})`
  }
}

const showPart = (part: StringPart): string =>
  part._tag === "Text" ? JSON.stringify(part.value) : `\${${show(part.expr)}}`

const showOption = (o: CallOption): string => {
  switch (o._tag) {
    case "DurationOption":
      return `${o.name.name}: ${o.millis}ms`
    case "IntOption":
      return `${o.name.name}: int ${o.value}`
    case "WordOption":
      return `${o.name.name}: word ${o.word}`
    case "ExprOption":
      return `${o.name.name}: ${show(o.value)}`
    case "RateOption":
      return `${o.name.name}: rate ${o.count}/${o.perMillis}ms`
    case "FlagOption":
      return `${o.name.name}: flag`
  }
}

const showPattern = (p: Pattern): string =>
  p._tag === "WildcardPattern" ? "_" : p._tag === "TypePattern" ? `is ${showType(p.type)}` : `{${p.fields.map((f) => f.name).join(", ")}}`

export const show = (e: Expr): string => {
  switch (e._tag) {
    case "IntLiteral":
      return String(e.value)
    case "FloatLiteral":
      return Number.isInteger(e.value) ? `${e.value}.0` : String(e.value)
    case "BooleanLiteral":
      return String(e.value)
    case "StringLiteral":
      return `str(${e.parts.map(showPart).join(" ")})`
    case "ListLiteral":
      return `[${e.items.map(show).join(", ")}]`
    case "RecordLiteral":
      return `{${e.fields.map((f) => `${f.name.name}: ${show(f.value)}`).join(", ")}}`
    case "Variable":
      return e.name
    case "Call": {
      const call = `${e.callee.name}(${e.args.map(show).join(", ")})`
      return e.options.length === 0 ? call : `(${call} with ${e.options.map(showOption).join(", ")})`
    }
    case "FieldAccess":
      return `${show(e.target)}.${e.field.name}`
    case "Binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`
    case "And":
      return `(${show(e.left)} and ${show(e.right)})`
    case "Or":
      return `(${show(e.left)} or ${show(e.right)})`
    case "Not":
      return `(not ${show(e.operand)})`
    case "Coalesce":
      return `(${show(e.left)} ?? ${show(e.right)})`
    case "When":
      return `(${show(e.value)} when ${show(e.condition)})`
    case "If":
      return `(if ${show(e.condition)} then ${show(e.then)} else ${show(e.else)})`
    case "Lambda":
      return `((${e.params.map((p) => (p.type === undefined ? p.name.name : `${p.name.name}: ${showType(p.type)}`)).join(", ")}) => ${show(e.body)})`
    case "Branch":
      return `branch{${[...e.cases.map((c) => `${show(c.condition)} -> ${show(c.value)}`), `otherwise -> ${show(e.otherwise)}`].join(", ")}}`
    case "Projection":
      return `${show(e.target)}{${e.fields.map((f) => f.name).join(", ")}}`
    case "Match":
      return `(match ${show(e.scrutinee)} {${e.arms.map((a) => `${showPattern(a.pattern)} -> ${show(a.body)}`).join(", ")}})`
    case "ErrorExpr":
      return "<error>"
  }
}

export const showDeclaration = (d: Declaration): string => {
  switch (d._tag) {
    case "InputDecl":
      return `${d.example === undefined ? "" : `@example(${show(d.example)}) `}in ${d.name.name}: ${showType(d.type)}`
    case "OutputDecl":
      return `out ${d.name.name}${d.type === undefined ? "" : `: ${showType(d.type)}`}`
    case "TypeAlias":
      return `type ${d.name.name} = ${showType(d.type)}`
    case "Assignment":
      return `${d.name.name} = ${show(d.value)}`
    case "UseDecl":
      return `use ${d.path.map((p) => p.name).join(".")}${d.alias === undefined ? "" : ` as ${d.alias.name}`}`
  }
}

const isSpan = (u: unknown): u is Span =>
  typeof u === "object" && u !== null && "start" in u && "end" in u

/**
 * Every problem with the spans under `node`: out of the source, inverted,
 * line/column inconsistent with the offset, or a child outside its parent.
 */
export const spanProblems = (source: string, node: unknown): Array<string> => {
  const lineStarts = [0]
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i)
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1)
  }
  const problems: Array<string> = []
  const checkPosition = (where: string, p: Span["start"]): void => {
    const lineStart = lineStarts[p.line - 1]
    if (p.offset < 0 || p.offset > source.length) problems.push(`${where}: offset ${p.offset} out of the source`)
    else if (lineStart === undefined || p.column !== p.offset - lineStart + 1) {
      problems.push(`${where}: ${p.line}:${p.column} does not match offset ${p.offset}`)
    }
  }
  const stack: Array<{ readonly value: unknown; readonly parent: Span | undefined; readonly path: string }> = [
    { value: node, parent: undefined, path: "program" }
  ]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, parent, path } = item
    if (typeof value !== "object" || value === null) continue
    let own = parent
    if ("span" in value && isSpan(value.span)) {
      own = value.span
      checkPosition(`${path}.start`, own.start)
      checkPosition(`${path}.end`, own.end)
      if (own.start.offset > own.end.offset) problems.push(`${path}: inverted span`)
      if (parent !== undefined && (own.start.offset < parent.start.offset || own.end.offset > parent.end.offset)) {
        problems.push(`${path}: [${own.start.offset}, ${own.end.offset}) outside its parent [${parent.start.offset}, ${parent.end.offset})`)
      }
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== "span" && key !== "opSpan" && key !== "valueSpan") stack.push({ value: child, parent: own, path: `${path}.${key}` })
    }
  }
  return problems
}
