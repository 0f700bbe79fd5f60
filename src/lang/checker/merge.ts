/**
 * Record merge, `a + b` on values and `A + B` on types: the fields of both
 * records, the right's winning where both have a field (its type replaces
 * the left's). Lists of records merge element-wise, and a record merges
 * into every element of a list (on either side), through any depth of lists.
 */
import { TList, TRecord, TUnknown } from "../types.js"
import type { Type } from "../types.js"

/** How many lists wrap a record: `List<List<{...}>>` is 2; undefined when no record is inside. */
export const recordDepth = (t: Type): number | undefined => {
  let depth = 0
  let inner = t
  while (inner._tag === "List") {
    inner = inner.element
    depth++
  }
  return inner._tag === "Record" ? depth : undefined
}

/** Whether `t` takes part in a record merge: a record, or a list of them. */
export const isMergeable = (t: Type): boolean => recordDepth(t) !== undefined

/** The fields of `left` then `right`, the right's type winning for a name both have. */
const mergeRecords = (left: Type, right: Type): Type => {
  if (left._tag !== "Record" || right._tag !== "Record") return TUnknown
  const names = new Set(right.fields.map(([k]) => k))
  return TRecord([...left.fields.filter(([k]) => !names.has(k)), ...right.fields])
}

/**
 * The type of `left + right` as a merge, or undefined when they do not
 * merge (either is not a record or a list of records). `Unknown` on either
 * side merges to `Unknown`.
 */
export const mergeTypes = (left: Type, right: Type): Type | undefined => {
  if (left._tag === "Unknown" || right._tag === "Unknown") return TUnknown
  if (left._tag === "List" && right._tag === "List") {
    const element = mergeTypes(left.element, right.element)
    return element === undefined ? undefined : TList(element)
  }
  if (left._tag === "List") {
    if (!isMergeable(right)) return undefined
    const element = mergeTypes(left.element, right)
    return element === undefined ? undefined : TList(element)
  }
  if (right._tag === "List") {
    if (!isMergeable(left)) return undefined
    const element = mergeTypes(left, right.element)
    return element === undefined ? undefined : TList(element)
  }
  return left._tag === "Record" && right._tag === "Record" ? mergeRecords(left, right) : undefined
}
