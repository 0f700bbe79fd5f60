/**
 * Decoding union and map values at the input boundary.
 *
 * A union value is `{"tag": T, "value": v}`, with `T` one of the member
 * tags (`unionTag`). A value without a known tag is accepted when exactly
 * one member decodes it (`5` for `Int | String`); when several do, it is
 * ambiguous and must be tagged. A map with String keys is a JSON object
 * (or a list of `[key, value]` pairs); with other keys, a list of pairs.
 */
import { canonicalJson } from "../hash.js"
import { printType, unionTag } from "../types.js"
import type { Type } from "../types.js"
import type { Value } from "../value.js"
import { decodeAt, isArray, isPlainObject } from "./decode.js"
import { childPath, describeValue, MAX_ISSUES, mismatch } from "./ValueIssue.js"
import type { Path, ValueIssue } from "./ValueIssue.js"

type UnionType = Extract<Type, { readonly _tag: "Union" }>
type MapType = Extract<Type, { readonly _tag: "Map" }>

const fail = (issues: Array<ValueIssue>, issue: ValueIssue): undefined => {
  if (issues.length < MAX_ISSUES) issues.push(issue)
  return undefined
}

const tagsOf = (t: UnionType): string => t.members.map((m) => JSON.stringify(unionTag(m))).join(", ")

/** The member a tagged value names, when `u` is `{tag, value}` with a known tag. */
const taggedMember = (t: UnionType, u: unknown): Type | undefined => {
  if (!isPlainObject(u) || typeof u["tag"] !== "string" || !Object.hasOwn(u, "value")) return undefined
  const tag = u["tag"]
  return t.members.find((m) => unionTag(m) === tag)
}

/** Decodes a union value: tagged, or untagged when exactly one member fits. */
export const decodeUnion = (
  t: UnionType,
  u: unknown,
  parent: Path | undefined,
  key: string | number,
  issues: Array<ValueIssue>,
  depth: number
): Value | undefined => {
  const member = taggedMember(t, u)
  if (member !== undefined && isPlainObject(u)) {
    const path = childPath(parent, key)
    const raw = u["value"]
    const v = decodeAt(member, raw, path, "value", issues, depth + 1)
    if (v === undefined) return undefined
    const tag = unionTag(member)
    return v === raw && Object.keys(u).length === 2 ? (u as Value) : { tag, value: v }
  }
  const fits: Array<readonly [Type, Value]> = []
  for (const m of t.members) {
    const scratch: Array<ValueIssue> = []
    const v = decodeAt(m, u, parent, key, scratch, depth)
    if (v !== undefined && scratch.length === 0) fits.push([m, v])
  }
  const only = fits.length === 1 ? fits[0] : undefined
  if (only !== undefined) return { tag: unionTag(only[0]), value: only[1] }
  const path = childPath(parent, key)
  const expected = printType(t)
  if (fits.length > 1) {
    return fail(issues, mismatch(path, expected, describeValue(u),
      `it is a value of ${fits.map(([m]) => printType(m)).join(" and ")}: say which with {"tag": ..., "value": ...}, the tag one of ${tagsOf(t)}`))
  }
  const tag = isPlainObject(u) && typeof u["tag"] === "string" ? u["tag"] : undefined
  return fail(issues, mismatch(path, expected, describeValue(u),
    tag === undefined
      ? `a union value is {"tag": ..., "value": ...} with the tag one of ${tagsOf(t)}`
      : `${JSON.stringify(tag.length > 40 ? `${tag.slice(0, 40)}...` : tag)} is not one of its tags: ${tagsOf(t)}`))
}

/** Decodes a map: an object or `[key, value]` pairs for String keys, pairs otherwise. */
export const decodeMap = (
  t: MapType,
  u: unknown,
  parent: Path | undefined,
  key: string | number,
  issues: Array<ValueIssue>,
  depth: number
): Value | undefined => {
  const path = childPath(parent, key)
  const stringKeys = t.key._tag === "String"
  if (stringKeys && isPlainObject(u)) {
    let ok = true
    let changed = false
    const entries: Array<[string, Value]> = []
    for (const k of Object.keys(u)) {
      if (issues.length >= MAX_ISSUES) return undefined
      const raw = u[k]
      const v = decodeAt(t.value, raw, path, k, issues, depth + 1)
      if (v === undefined) ok = false
      else {
        if (v !== raw) changed = true
        entries.push([k, v])
      }
    }
    if (!ok) return undefined
    return changed ? Object.fromEntries(entries) : (u as Value)
  }
  if (!isArray(u)) {
    return fail(issues, mismatch(path, printType(t), describeValue(u),
      stringKeys ? "a map is a JSON object, or a list of [key, value] pairs" : "a map with non-String keys is a list of [key, value] pairs"))
  }
  let ok = true
  const seen = new Set<string>()
  const pairs: Array<readonly [Value, Value]> = []
  for (let i = 0; i < u.length && issues.length < MAX_ISSUES; i++) {
    const pair = u[i]
    if (!isArray(pair) || pair.length !== 2) {
      ok = false
      fail(issues, mismatch(childPath(path, i), "a [key, value] pair", describeValue(pair)))
      continue
    }
    const entry = childPath(path, i)
    const k = decodeAt(t.key, pair[0], entry, 0, issues, depth + 2)
    const v = decodeAt(t.value, pair[1], entry, 1, issues, depth + 2)
    if (k === undefined || v === undefined) {
      ok = false
      continue
    }
    const id = canonicalJson(k)
    if (seen.has(id)) {
      ok = false
      fail(issues, mismatch(childPath(entry, 0), printType(t.key), describeValue(k), "this key appears more than once in the map"))
      continue
    }
    seen.add(id)
    pairs.push([k, v])
  }
  if (!ok) return undefined
  return stringKeys ? Object.fromEntries(pairs.map(([k, v]) => [k as string, v])) : pairs
}
