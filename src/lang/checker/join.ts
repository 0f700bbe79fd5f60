/**
 * The common type of two types, for `if` branches and list elements:
 * `Int` and `Float` meet at `Float`, `T` and `Optional<T>` at `Optional<T>`,
 * lists element-wise, and a record with more fields meets one with a subset
 * of them at the smaller record. `Unknown` meets anything at the other type;
 * a union or a map meets a type assignable to it at itself.
 */
import { TFloat, TList, TOptional, TRecord, isAssignable, recordField } from "../types.js"
import type { Type } from "../types.js"

/** The least common type of `a` and `b`, or `undefined` when they have none. */
export const join = (a: Type, b: Type): Type | undefined => {
  if (a._tag === "Unknown") return b
  if (b._tag === "Unknown") return a
  if (a._tag === "Union" || b._tag === "Union" || a._tag === "Map" || b._tag === "Map") {
    return isAssignable(a, b) ? b : isAssignable(b, a) ? a : undefined
  }
  if (a._tag === "Optional" || b._tag === "Optional") {
    const inner = join(a._tag === "Optional" ? a.inner : a, b._tag === "Optional" ? b.inner : b)
    return inner === undefined ? undefined : inner._tag === "Optional" ? inner : TOptional(inner)
  }
  switch (a._tag) {
    case "Int":
    case "Float":
      return b._tag === "Int" || b._tag === "Float" ? (a._tag === "Int" && b._tag === "Int" ? a : TFloat) : undefined
    case "List": {
      if (b._tag !== "List") return undefined
      const element = join(a.element, b.element)
      return element === undefined ? undefined : TList(element)
    }
    case "Record": {
      if (b._tag !== "Record") return undefined
      const [small, large] = a.fields.length <= b.fields.length ? [a, b] : [b, a]
      if (small._tag !== "Record") return undefined
      const fields: Array<readonly [string, Type]> = []
      for (const [name, type] of small.fields) {
        const other = recordField(large, name)
        const common = other === undefined ? undefined : join(type, other)
        if (common === undefined) return undefined
        fields.push([name, common])
      }
      return TRecord(fields)
    }
    case "Var":
      return b._tag === "Var" && a.name === b.name ? a : undefined
    default:
      return a._tag === b._tag ? a : undefined
  }
}
