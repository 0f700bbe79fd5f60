/**
 * A JSON description of the type side of a Schema, and a small checker for
 * it: what the clients use to validate what the server sends without
 * bundling Schema (about 230 KiB minified with the runtime it pulls in).
 * The shapes are generated from the server's Schemas
 * (`scripts/clientShapes.ts` writes `wireShapes.ts`), never written by
 * hand; a test keeps them in step and checks that this checker accepts and
 * rejects what Schema does.
 *
 * @internal
 */
import { Either } from "effect"

export type Shape =
  | "string"
  | "number"
  /** A safe integer (`Schema.Int`). */
  | "int"
  | "boolean"
  | "undefined"
  | "unknown"
  /** A named shape of `defs` (recursive ones: values, types, expressions). */
  | { readonly ref: string }
  | { readonly literal: ReadonlyArray<string | number | boolean | null> }
  | { readonly array: Shape }
  | { readonly tuple: ReadonlyArray<Shape> }
  /** The first member that fits. */
  | { readonly union: ReadonlyArray<Shape> }
  /** `rest`: the shape of every other key (a record); without it other keys are dropped. */
  | {
    readonly struct: { readonly [key: string]: Shape }
    readonly optional?: ReadonlyArray<string>
    readonly rest?: Shape
  }

export type Defs = { readonly [name: string]: Shape }

/** Where a value does not fit, and what was expected there. */
export interface Issue {
  readonly path: ReadonlyArray<string | number>
  readonly expected: string
  readonly actual: unknown
}

/** `expected an integer at seq, got "x"`. */
export const formatIssue = (issue: Issue): string => {
  const path = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("")
  const at = path === "" ? "" : ` at ${path}`
  let actual: string
  try {
    actual = JSON.stringify(issue.actual)?.slice(0, 100) ?? String(issue.actual)
  } catch {
    actual = String(issue.actual)
  }
  return `expected ${issue.expected}${at}, got ${actual}`
}

type Result = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issue: Issue }

const ok = (value: unknown): Result => ({ ok: true, value })
const fail = (path: ReadonlyArray<string | number>, expected: string, actual: unknown): Result => ({
  ok: false,
  issue: { path, expected, actual }
})

/** Sets an own key, `__proto__` included (a plain assignment would set the object's prototype instead). */
const setOwn = (out: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  else out[key] = value
}

const isRecord = (u: unknown): u is { readonly [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const describe = (shape: Shape): string =>
  typeof shape === "string"
    ? shape === "int" ? "an integer" : shape
    : "ref" in shape
    ? shape.ref
    : "literal" in shape
    ? shape.literal.map((l) => JSON.stringify(l)).join(" | ")
    : "array" in shape || "tuple" in shape
    ? "an array"
    : "union" in shape
    ? shape.union.map(describe).join(" | ")
    : "an object"

const check = (shape: Shape, u: unknown, defs: Defs, path: ReadonlyArray<string | number>): Result => {
  if (typeof shape === "string") {
    switch (shape) {
      case "unknown":
        return ok(u)
      case "int":
        return Number.isSafeInteger(u) ? ok(u) : fail(path, "an integer", u)
      default:
        return typeof u === shape ? ok(u) : fail(path, shape, u)
    }
  }
  if ("ref" in shape) {
    const def = defs[shape.ref]
    if (def === undefined) throw new Error(`no shape named ${shape.ref}`)
    return check(def, u, defs, path)
  }
  if ("literal" in shape) return shape.literal.some((l) => l === u) ? ok(u) : fail(path, describe(shape), u)
  if ("array" in shape || "tuple" in shape) {
    if (!Array.isArray(u)) return fail(path, "an array", u)
    if ("tuple" in shape && u.length !== shape.tuple.length) return fail(path, `an array of ${shape.tuple.length}`, u)
    const out: Array<unknown> = []
    for (let i = 0; i < u.length; i++) {
      const r = check("array" in shape ? shape.array : shape.tuple[i]!, u[i], defs, [...path, i])
      if (!r.ok) return r
      out.push(r.value)
    }
    return ok(out)
  }
  if ("union" in shape) {
    let deepest: Issue | undefined
    for (const member of shape.union) {
      const r = check(member, u, defs, path)
      if (r.ok) return r
      if (deepest === undefined || r.issue.path.length > deepest.path.length) deepest = r.issue
    }
    // The issue of the member that got furthest into the value, else a plain "expected a | b".
    return deepest !== undefined && deepest.path.length > path.length ? { ok: false, issue: deepest } : fail(path, describe(shape), u)
  }
  if (!isRecord(u)) return fail(path, "an object", u)
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(shape.struct)) {
    if (!Object.hasOwn(u, key)) {
      // Schema takes a missing key as undefined: fine when the field may be undefined (or anything).
      if (shape.optional?.includes(key) === true || check(field, undefined, defs, path).ok) continue
      return fail([...path, key], describe(field), undefined)
    }
    const r = check(field, u[key], defs, [...path, key])
    if (!r.ok) return r
    setOwn(out, key, r.value)
  }
  if (shape.rest !== undefined) {
    for (const [key, value] of Object.entries(u)) {
      if (Object.hasOwn(shape.struct, key)) continue
      const r = check(shape.rest, value, defs, [...path, key])
      if (!r.ok) return r
      setOwn(out, key, r.value)
    }
  }
  return ok(out)
}

/**
 * A checker of `shape`, typed by the Schema it was generated from. What it
 * returns is a fresh value: arrays and objects rebuilt, keys the shape does
 * not know dropped (as Schema's decoding with `onExcessProperty: "ignore"`).
 */
export const checker = <A>(shape: Shape, defs: Defs) => (u: unknown): Either.Either<A, Issue> => {
  const r = check(shape, u, defs, [])
  // The shape is the type side of A's Schema (a test holds them together), so a value that fits is an A.
  return r.ok ? Either.right(r.value as A) : Either.left(r.issue)
}
