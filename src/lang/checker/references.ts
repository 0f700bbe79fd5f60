/**
 * The names an expression or a type expression refers to: the edges of the
 * dependency graphs used for ordering and cycle detection.
 */
import type { CallOption, Expr, TypeExpr } from "../ast.js"

/** The variables `expr` reads, in order of first use, without repeats. */
export const referencedNames = (expr: Expr): ReadonlyArray<string> => {
  const names = new Set<string>()
  collectNames(expr, names)
  return [...names]
}

const collectNames = (e: Expr, names: Set<string>): void => {
  switch (e._tag) {
    case "Variable":
      names.add(e.name)
      return
    case "StringLiteral":
      for (const part of e.parts) if (part._tag === "Interpolation") collectNames(part.expr, names)
      return
    case "ListLiteral":
      for (const item of e.items) collectNames(item, names)
      return
    case "RecordLiteral":
      for (const field of e.fields) collectNames(field.value, names)
      return
    case "Call":
      for (const arg of e.args) collectNames(arg, names)
      for (const option of e.options) {
        const fallback = fallbackExpr(option)
        if (fallback !== undefined) collectNames(fallback, names)
      }
      return
    case "FieldAccess":
      collectNames(e.target, names)
      return
    case "Binary":
    case "And":
    case "Or":
    case "Coalesce":
      collectNames(e.left, names)
      collectNames(e.right, names)
      return
    case "Not":
      collectNames(e.operand, names)
      return
    case "When":
      collectNames(e.value, names)
      collectNames(e.condition, names)
      return
    case "If":
      collectNames(e.condition, names)
      collectNames(e.then, names)
      collectNames(e.else, names)
      return
    case "Lambda": {
      // The parameters are the lambda's own: only the other names its body reads are references.
      const inner = new Set<string>()
      collectNames(e.body, inner)
      for (const param of e.params) inner.delete(param.name.name)
      for (const name of inner) names.add(name)
      return
    }
    case "Branch":
      for (const c of e.cases) {
        collectNames(c.condition, names)
        collectNames(c.value, names)
      }
      collectNames(e.otherwise, names)
      return
    case "Projection":
      collectNames(e.target, names)
      return
    case "Match":
      collectNames(e.scrutinee, names)
      for (const arm of e.arms) {
        // The fields a record pattern binds are the arm's own variables, not references.
        const bound = arm.pattern._tag === "RecordPattern" ? arm.pattern.fields.map((f) => f.name) : []
        const inner = new Set<string>()
        collectNames(arm.body, inner)
        for (const name of inner) if (!bound.includes(name)) names.add(name)
      }
      return
    default:
      return
  }
}

/** The named types (aliases or built-ins) a type expression mentions. */
export const referencedTypes = (type: TypeExpr): ReadonlyArray<string> => {
  switch (type._tag) {
    case "NamedType":
      return [type.name]
    case "ListType":
      return referencedTypes(type.element)
    case "OptionalType":
      return referencedTypes(type.inner)
    case "RecordType":
      return type.fields.flatMap((f) => referencedTypes(f.type))
    case "MapType":
      return [...referencedTypes(type.key), ...referencedTypes(type.value)]
    case "UnionType":
      return type.members.flatMap(referencedTypes)
    case "MergeType":
      return [...referencedTypes(type.left), ...referencedTypes(type.right)]
  }
}

const synthesized = new WeakMap<CallOption, Expr>()

/**
 * The expression of a `fallback` option. A value the parser read as an
 * option literal (`fallback: defaultUser`, `fallback: 0`) is read as the
 * expression it spells: a variable reference, a Boolean or an Int.
 */
export const fallbackExpr = (option: CallOption): Expr | undefined => {
  if (option.name.name !== "fallback") return undefined
  if (option._tag === "ExprOption") return option.value
  if (option._tag !== "IntOption" && option._tag !== "WordOption") return undefined
  let expr = synthesized.get(option)
  if (expr === undefined) {
    const span = option.valueSpan
    expr = option._tag === "IntOption"
      ? { _tag: "IntLiteral", value: option.value, span }
      : option.word === "true" || option.word === "false"
      ? { _tag: "BooleanLiteral", value: option.word === "true", span }
      : { _tag: "Variable", name: option.word, span }
    synthesized.set(option, expr)
  }
  return expr
}
