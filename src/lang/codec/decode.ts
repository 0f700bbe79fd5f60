/**
 * Decoding untrusted JSON against a language type. Decoding collects every
 * issue (up to `MAX_ISSUES`) instead of stopping at the first, never throws,
 * and copies only what it must: a value that already has exactly the
 * type's shape is returned as it is.
 */
import { Either } from "effect"
import { printType } from "../types.js"
import type { Type } from "../types.js"
import type { Value } from "../value.js"
import { childPath, describeValue, INT_RANGE, MAX_DEPTH, MAX_ISSUES, mismatch, missing } from "./ValueIssue.js"
import type { Path, ValueIssue } from "./ValueIssue.js"
import { decodeMap, decodeUnion } from "./decodeUnionMap.js"

const JSON_ONLY = "only JSON values are accepted here (strings, finite numbers, booleans, null, lists and objects)"
const TOO_DEEP = `a value nested deeper than ${MAX_DEPTH} levels`

/** A plain object: what `JSON.parse` makes for `{...}` (its prototype is `Object.prototype` or null). */
export const isPlainObject = (u: unknown): u is Readonly<Record<string, unknown>> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto: unknown = Object.getPrototypeOf(u)
  return proto === null || proto === Object.prototype
}

/** `Array.isArray` that narrows to an array of `unknown`, not of anything. */
export const isArray = (u: unknown): u is ReadonlyArray<unknown> => Array.isArray(u)

/** Records an issue; `undefined` is the result of a failed decode. */
const fail = (issues: Array<ValueIssue>, issue: ValueIssue): undefined => {
  if (issues.length < MAX_ISSUES) issues.push(issue)
  return undefined
}

const reject = (issues: Array<ValueIssue>, issue: ValueIssue): false => {
  fail(issues, issue)
  return false
}

const full = (issues: ReadonlyArray<ValueIssue>): boolean => issues.length >= MAX_ISSUES

/** Checks that `u` is a JSON value, for `Unknown` and type variables. */
const checkJson = (
  u: unknown,
  parent: Path | undefined,
  key: string | number,
  expected: string,
  issues: Array<ValueIssue>,
  depth: number
): boolean => {
  switch (typeof u) {
    case "string":
    case "boolean":
      return true
    case "number":
      return Number.isFinite(u) || reject(issues, mismatch(childPath(parent, key), expected, describeValue(u), JSON_ONLY))
    case "object": {
      if (u === null) return true
      const path = childPath(parent, key)
      if (depth >= MAX_DEPTH) return reject(issues, mismatch(path, expected, TOO_DEEP))
      let ok = true
      if (isArray(u)) {
        for (let i = 0; i < u.length && !full(issues); i++) ok = checkJson(u[i], path, i, expected, issues, depth + 1) && ok
        return ok
      }
      if (!isPlainObject(u)) return reject(issues, mismatch(path, expected, describeValue(u), JSON_ONLY))
      for (const k of Object.keys(u)) {
        if (full(issues)) break
        ok = checkJson(u[k], path, k, expected, issues, depth + 1) && ok
      }
      return ok
    }
    default:
      return reject(issues, mismatch(childPath(parent, key), expected, describeValue(u), JSON_ONLY))
  }
}

/** The test of a primitive type, for the fast path over lists of primitives. */
const primitiveTest = (t: Type): ((u: unknown) => boolean) | undefined => {
  switch (t._tag) {
    case "String":
      return (u) => typeof u === "string"
    case "Boolean":
      return (u) => typeof u === "boolean"
    case "Int":
      return Number.isSafeInteger
    case "Float":
      return Number.isFinite
    default:
      return undefined
  }
}

const decodeList = (
  element: Type,
  u: ReadonlyArray<unknown>,
  path: Path,
  issues: Array<ValueIssue>,
  depth: number
): Value | undefined => {
  const test = primitiveTest(element)
  if (test !== undefined) {
    let i = 0
    while (i < u.length && test(u[i])) i++
    if (i === u.length) return u as ReadonlyArray<Value>
  }
  let ok = true
  let copy: Array<Value> | undefined
  for (let i = 0; i < u.length && !full(issues); i++) {
    const raw = u[i]
    const v = decodeAt(element, raw, path, i, issues, depth + 1)
    if (v === undefined) ok = false
    else if (ok) {
      if (copy === undefined && v !== raw) copy = u.slice(0, i) as Array<Value>
      copy?.push(v)
    }
  }
  return ok ? (copy ?? (u as ReadonlyArray<Value>)) : undefined
}

const decodeRecord = (
  fields: ReadonlyArray<readonly [string, Type]>,
  u: Readonly<Record<string, unknown>>,
  path: Path,
  issues: Array<ValueIssue>,
  depth: number
): Value | undefined => {
  let ok = true
  // Extra fields are dropped, so a value with more keys than the type is copied.
  let changed = Object.keys(u).length !== fields.length
  const values: Array<Value> = new Array<Value>(fields.length)
  for (let i = 0; i < fields.length; i++) {
    if (full(issues)) return undefined
    const [name, type] = fields[i] as readonly [string, Type]
    const raw = Object.hasOwn(u, name) ? u[name] : undefined
    const v = decodeAt(type, raw, path, name, issues, depth + 1)
    if (v === undefined) ok = false
    else {
      if (v !== raw) changed = true
      values[i] = v
    }
  }
  if (!ok) return undefined
  if (!changed) return u as Value
  // `fromEntries` defines properties, so a field named `__proto__` stays a field.
  return Object.fromEntries(fields.map(([name], i) => [name, values[i] ?? null]))
}

/**
 * @internal Decodes `u`, found under `key` of `parent`; `undefined` means it
 * failed and the issues say why. The path object is made only when needed.
 */
export const decodeAt = (
  t: Type,
  u: unknown,
  parent: Path | undefined,
  key: string | number,
  issues: Array<ValueIssue>,
  depth: number
): Value | undefined => {
  if (full(issues)) return undefined
  if (u === undefined) return t._tag === "Optional" ? null : fail(issues, missing(childPath(parent, key), printType(t)))
  switch (t._tag) {
    case "String":
      if (typeof u === "string") return u
      break
    case "Boolean":
      if (typeof u === "boolean") return u
      break
    case "Float":
      if (typeof u === "number" && Number.isFinite(u)) return u
      break
    case "Int":
      if (typeof u === "number" && Number.isSafeInteger(u)) return u
      if (typeof u === "number" && Number.isFinite(u)) {
        return fail(issues, mismatch(childPath(parent, key), "Int", describeValue(u), INT_RANGE))
      }
      break
    case "Optional":
      return u === null ? null : decodeAt(t.inner, u, parent, key, issues, depth)
    case "List":
      if (!isArray(u)) break
      if (depth >= MAX_DEPTH) return fail(issues, mismatch(childPath(parent, key), printType(t), TOO_DEEP))
      return decodeList(t.element, u, childPath(parent, key), issues, depth)
    case "Record":
      if (!isPlainObject(u)) break
      if (depth >= MAX_DEPTH) return fail(issues, mismatch(childPath(parent, key), printType(t), TOO_DEEP))
      return decodeRecord(t.fields, u, childPath(parent, key), issues, depth)
    case "Union":
      if (depth >= MAX_DEPTH) return fail(issues, mismatch(childPath(parent, key), printType(t), TOO_DEEP))
      return decodeUnion(t, u, parent, key, issues, depth)
    case "Map":
      if (depth >= MAX_DEPTH) return fail(issues, mismatch(childPath(parent, key), printType(t), TOO_DEEP))
      return decodeMap(t, u, parent, key, issues, depth)
    case "Unknown":
    case "Var":
      return checkJson(u, parent, key, printType(t), issues, depth) ? (u as Value) : undefined
  }
  return fail(issues, mismatch(childPath(parent, key), printType(t), describeValue(u)))
}

/**
 * @internal Decodes into a shared issue list (several inputs share one
 * bound). Never throws: a value that throws when read (a hostile getter or
 * proxy) is reported as an issue at `path`.
 */
export const decodeInto = (type: Type, input: unknown, path: string, issues: Array<ValueIssue>): Value | undefined => {
  try {
    return decodeAt(type, input, undefined, path, issues, 0)
  } catch {
    return fail(issues, mismatch(childPath(undefined, path), printType(type), "a value that could not be read"))
  }
}

/** What `checkValue` answers for an invalid value. */
export class InvalidValue {
  constructor(readonly issues: ReadonlyArray<ValueIssue>) {}
}

/** The issues of the `checkValue` in progress (decoding calls no user code, so one list serves every call). */
const scratch: Array<ValueIssue> = []

/**
 * As `decodeValue`, allocating nothing more than the value itself when it is
 * valid: the hot path of module results.
 */
export const checkValue = (type: Type, input: unknown, path: string): Value | InvalidValue => {
  // Empty but after a throw: setting an array's length is not free, and this runs per module call.
  if (scratch.length !== 0) scratch.length = 0
  const value = decodeInto(type, input, path, scratch)
  return value !== undefined && scratch.length === 0 ? value : new InvalidValue(scratch.splice(0))
}

/**
 * Decodes untrusted input (usually parsed JSON) against a type: the value
 * with extra record fields dropped and missing `Optional` fields as `null`,
 * or every issue found (at most `MAX_ISSUES`). `path` names the value in
 * messages: `input 'user.age': expected Int, got "x"`.
 */
export const decodeValue = (type: Type, input: unknown, path: string): Either.Either<Value, ReadonlyArray<ValueIssue>> => {
  const issues: Array<ValueIssue> = []
  const value = decodeInto(type, input, path, issues)
  return value === undefined || issues.length > 0 ? Either.left(issues) : Either.right(value)
}
