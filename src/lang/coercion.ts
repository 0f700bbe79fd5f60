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
import type { Value } from "./value.js"

const unions = new WeakMap<Type, boolean>()

/** Whether a union occurs anywhere in `t` (remembered per type object: the compiler asks often). */
export const hasUnion = (t: Type): boolean => {
  const known = unions.get(t)
  if (known !== undefined) return known
  let found: boolean
  switch (t._tag) {
    case "Union":
      found = true
      break
    case "List":
      found = hasUnion(t.element)
      break
    case "Optional":
      found = hasUnion(t.inner)
      break
    case "Map":
      found = hasUnion(t.value)
      break
    case "Record":
      found = t.fields.some(([, f]) => hasUnion(f))
      break
    default:
      found = false
  }
  unions.set(t, found)
  return found
}

/** Whether a value of `from` may need converting to be a value of `to`. */
export const needsCoercion = (from: Type, to: Type): boolean =>
  from._tag !== "Unknown" && to._tag !== "Unknown" && (hasUnion(from) || hasUnion(to)) && unionTag(from) !== unionTag(to)

/** The member of union `to` that a value of `from` becomes: the same type when it is one, else the first that accepts it. */
export const memberFor = (to: Extract<Type, { readonly _tag: "Union" }>, from: Type): Type | undefined => {
  const tag = unionTag(from)
  return to.members.find((m) => unionTag(m) === tag) ?? to.members.find((m) => isAssignable(from, m))
}


const asList = (v: Value): ReadonlyArray<Value> => (Array.isArray(v) ? v : [])
const isRecord = (v: Value): v is { readonly [k: string]: Value } => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * A value of type `t` with every union value inside it replaced by the
 * member's value (`{tag, value}` becomes `value`): the form an
 * implementation declared with a plain Schema union (`string | number`)
 * receives.
 */
export const untagged = (v: Value, t: Type): Value => {
  if (v === null || !hasUnion(t)) return v
  switch (t._tag) {
    case "Union": {
      if (!isRecord(v) || typeof v["tag"] !== "string") return v
      const tag = v["tag"]
      const member = t.members.find((m) => unionTag(m) === tag)
      return member === undefined ? v : untagged(v["value"] ?? null, member)
    }
    case "Optional":
      return untagged(v, t.inner)
    case "List":
      return asList(v).map((x) => untagged(x, t.element))
    case "Record":
      if (!isRecord(v)) return v
      return Object.fromEntries(Object.keys(v).map((k) => {
        const field = t.fields.find(([f]) => f === k)?.[1]
        return [k, field === undefined ? v[k] ?? null : untagged(v[k] ?? null, field)]
      }))
    case "Map":
      if (Array.isArray(v)) return asList(v).map((pair) => [asList(pair)[0] ?? null, untagged(asList(pair)[1] ?? null, t.value)])
      return isRecord(v) ? Object.fromEntries(Object.keys(v).map((k) => [k, untagged(v[k] ?? null, t.value)])) : v
    default:
      return v
  }
}
