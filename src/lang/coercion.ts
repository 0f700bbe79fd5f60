/**
 * Where a value of one type is used as another whose runtime form differs.
 * Most assignable types share their form (an `Int` is a number where a
 * `Float` is expected, a record with more fields is still the record), but
 * a union value is `{tag, value}`: a member's value used where the union is
 * expected gains its tag, a union's value used where one type is expected
 * loses it. The compiler wraps such uses in a `Coerce` expression.
 */
import { isAssignable, unionTag } from "./types.js"
import type { Type } from "./types.js"

/** Whether a union occurs anywhere in `t`. */
export const hasUnion = (t: Type): boolean => {
  switch (t._tag) {
    case "Union":
      return true
    case "List":
      return hasUnion(t.element)
    case "Optional":
      return hasUnion(t.inner)
    case "Map":
      return hasUnion(t.value)
    case "Record":
      return t.fields.some(([, f]) => hasUnion(f))
    default:
      return false
  }
}

/** Whether a value of `from` may need converting to be a value of `to`. */
export const needsCoercion = (from: Type, to: Type): boolean =>
  from._tag !== "Unknown" && to._tag !== "Unknown" && (hasUnion(from) || hasUnion(to)) && unionTag(from) !== unionTag(to)

/** The member of union `to` that a value of `from` becomes: the same type when it is one, else the first that accepts it. */
export const memberFor = (to: Extract<Type, { readonly _tag: "Union" }>, from: Type): Type | undefined => {
  const tag = unionTag(from)
  return to.members.find((m) => unionTag(m) === tag) ?? to.members.find((m) => isAssignable(from, m))
}
