/**
 * The names an expression or a type expression refers to: the edges of the
 * dependency graphs used for ordering and cycle detection.
 */
import type { Expr, TypeExpr } from "../ast.js"
import { forEachChild } from "../forEachChild.js"

export { fallbackExpr } from "../fallbackExpr.js"

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
    case "Lambda": {
      // The parameters are the lambda's own: only the other names its body reads are references.
      const inner = new Set<string>()
      collectNames(e.body, inner)
      for (const param of e.params) inner.delete(param.name.name)
      for (const name of inner) names.add(name)
      return
    }
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
      return forEachChild(e, (child) => collectNames(child, names))
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
