/**
 * Encoding a typed value to plain JSON. Values are JSON-ready already, so
 * encoding only trims records to their declared fields (a value may carry
 * more through width subtyping) and spells a missing `Optional` as `null`.
 * Types without records are returned as they are, without a walk.
 */
import { unionMember } from "../types.js"
import type { Type } from "../types.js"
import type { Value } from "../value.js"

type RecordValue = { readonly [field: string]: Value }

const isList = (v: Value): v is ReadonlyArray<Value> => Array.isArray(v)

const isRecordValue = (v: Value): v is RecordValue => typeof v === "object" && v !== null && !Array.isArray(v)

/** Whether encoding a value of this type can change it: only records are trimmed. */
const needsWalk = (t: Type): boolean => {
  switch (t._tag) {
    case "Record":
      return true
    case "Union":
      return t.members.some(needsWalk)
    case "Map":
      return needsWalk(t.value)
    case "List":
      return needsWalk(t.element)
    case "Optional":
      return needsWalk(t.inner)
    default:
      return false
  }
}

const encodeList = (element: Type, list: ReadonlyArray<Value>): ReadonlyArray<Value> => {
  let copy: Array<Value> | undefined
  for (let i = 0; i < list.length; i++) {
    const raw = list[i] ?? null
    const v = encodeAt(element, raw)
    if (copy === undefined && v !== raw) copy = list.slice(0, i)
    copy?.push(v)
  }
  return copy ?? list
}

const encodeRecord = (fields: ReadonlyArray<readonly [string, Type]>, record: RecordValue): Value => {
  let changed = Object.keys(record).length !== fields.length
  const entries = fields.map(([name, type]) => {
    const raw = Object.hasOwn(record, name) ? record[name] : undefined
    const v = encodeAt(type, raw ?? null)
    if (v !== raw) changed = true
    return [name, v] as const
  })
  return changed ? Object.fromEntries(entries) : record
}

const encodeAt = (t: Type, v: Value): Value => {
  if (v === null) return null
  switch (t._tag) {
    case "Optional":
      return encodeAt(t.inner, v)
    case "List":
      return isList(v) && needsWalk(t.element) ? encodeList(t.element, v) : v
    case "Record":
      return isRecordValue(v) ? encodeRecord(t.fields, v) : v
    case "Union": {
      if (!isRecordValue(v) || typeof v["tag"] !== "string") return v
      const member = unionMember(t, v["tag"])
      const raw = v["value"] ?? null
      const value = member === undefined ? raw : encodeAt(member, raw)
      return value === raw && Object.keys(v).length === 2 ? v : { tag: v["tag"], value }
    }
    case "Map":
      if (!needsWalk(t.value)) return v
      if (isList(v)) return v.map((pair) => (isList(pair) ? [pair[0] ?? null, encodeAt(t.value, pair[1] ?? null)] : pair))
      return isRecordValue(v) ? Object.fromEntries(Object.keys(v).map((k) => [k, encodeAt(t.value, v[k] ?? null)])) : v
    default:
      return v
  }
}

/**
 * Encodes a value of `type` as plain JSON: records keep only their declared
 * fields, in declaration order. Copies only what changes.
 */
export const encodeValue = (type: Type, value: Value): unknown => (needsWalk(type) ? encodeAt(type, value) : value)
