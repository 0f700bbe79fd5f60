/**
 * The runtime side of union types, `match` and type algebra: coercion
 * between a union and its members, record merge, projection, and equality
 * of union and map values.
 */
import { memberFor } from "../../lang/coercion.js"
import { canonicalJson } from "../../lang/hash.js"
import { unionMember, unionTag } from "../../lang/types.js"
import type { Type } from "../../lang/types.js"
import type { Value } from "../../lang/value.js"
import { InlineFailure } from "./evaluate.js"

type RecordValue = { readonly [k: string]: Value }

const isRecordValue = (v: Value): v is RecordValue => typeof v === "object" && v !== null && !Array.isArray(v)
const asList = (v: Value): ReadonlyArray<Value> => (Array.isArray(v) ? v : [])
const fieldOf = (r: Value, k: string): Value => (isRecordValue(r) && Object.hasOwn(r, k) ? r[k] ?? null : null)

/** The tag and inner value of a union value. */
export const untag = (v: Value): { readonly tag: string; readonly value: Value } =>
  isRecordValue(v) && typeof v["tag"] === "string" ? { tag: v["tag"], value: v["value"] ?? null } : { tag: "", value: v }

/** A value of type `from` as a value of type `to` (which it is assignable to). */
export const coerceValue = (v: Value, from: Type, to: Type): Value => {
  if (from._tag === "Unknown" || to._tag === "Unknown") return v
  if (from._tag === "Union") {
    const { tag, value } = untag(v)
    const member = unionMember(from, tag)
    return member === undefined ? v : coerceValue(value, member, to)
  }
  if (to._tag === "Union") {
    const member = memberFor(to, from)
    return member === undefined ? v : { tag: unionTag(member), value: coerceValue(v, from, member) }
  }
  if (v === null) return null
  switch (to._tag) {
    case "Optional":
      return coerceValue(v, from._tag === "Optional" ? from.inner : from, to.inner)
    case "List": {
      const element = from._tag === "List" ? from.element : from
      return asList(v).map((x) => coerceValue(x, element, to.element))
    }
    case "Record": {
      if (from._tag !== "Record" || !isRecordValue(v)) return v
      const entries = to.fields.map(([k, t]) => [k, coerceValue(fieldOf(v, k), from.fields.find(([f]) => f === k)?.[1] ?? t, t)] as const)
      return Object.fromEntries(entries)
    }
    case "Map": {
      if (from._tag !== "Map") return v
      if (Array.isArray(v)) return asList(v).map((pair) => [asList(pair)[0] ?? null, coerceValue(asList(pair)[1] ?? null, from.value, to.value)])
      return isRecordValue(v) ? Object.fromEntries(Object.keys(v).map((k) => [k, coerceValue(v[k] ?? null, from.value, to.value)])) : v
    }
    default:
      return v
  }
}

/** `a + b` on records under lists: zipped when both are lists, broadcast when one is. */
export const mergeValues = (
  l: Value,
  r: Value,
  leftDepth: number,
  rightDepth: number,
  leftFields: ReadonlyArray<string>,
  rightFields: ReadonlyArray<string>
): Value => {
  if (leftDepth > 0 && rightDepth > 0) {
    const ls = asList(l), rs = asList(r)
    if (ls.length !== rs.length) {
      throw new InlineFailure("merge_length_mismatch",
        `merging two lists of records element by element needs lists of one length, but they have ${ls.length} and ${rs.length} elements`)
    }
    return ls.map((x, i) => mergeValues(x, rs[i] ?? null, leftDepth - 1, rightDepth - 1, leftFields, rightFields))
  }
  if (leftDepth > 0) return asList(l).map((x) => mergeValues(x, r, leftDepth - 1, 0, leftFields, rightFields))
  if (rightDepth > 0) return asList(r).map((y) => mergeValues(l, y, 0, rightDepth - 1, leftFields, rightFields))
  // `fromEntries` defines properties, so a field named `__proto__` stays a field.
  return Object.fromEntries([...leftFields.map((k) => [k, fieldOf(l, k)]), ...rightFields.map((k) => [k, fieldOf(r, k)])])
}

/** `x{a, b}` under `depth` levels of lists. */
export const projectValue = (v: Value, fields: ReadonlyArray<string>, depth: number): Value => {
  if (v === null) return null
  if (depth > 0) return asList(v).map((x) => projectValue(x, fields, depth - 1))
  return Object.fromEntries(fields.map((k) => [k, fieldOf(v, k)]))
}

/** Equality of two union or map values of type `on`, `equals` comparing their parts. */
export const unionOrMapEquals = (
  a: Value,
  b: Value,
  on: Extract<Type, { readonly _tag: "Union" | "Map" }>,
  equals: (x: Value, y: Value, t: Type) => boolean
): boolean => {
  if (on._tag === "Union") {
    const x = untag(a), y = untag(b)
    const member = unionMember(on, x.tag)
    return x.tag === y.tag && member !== undefined && equals(x.value, y.value, member)
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    const byKey = new Map(asList(b).map((pair) => [canonicalJson(asList(pair)[0] ?? null), asList(pair)[1] ?? null] as const))
    return asList(a).every((pair) => {
      const key = canonicalJson(asList(pair)[0] ?? null)
      return byKey.has(key) && equals(asList(pair)[1] ?? null, byKey.get(key) ?? null, on.value)
    })
  }
  if (!isRecordValue(a) || !isRecordValue(b)) return a === b
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equals(a[k] ?? null, b[k] ?? null, on.value))
}
