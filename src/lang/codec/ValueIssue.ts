/**
 * What is wrong with one value at the input boundary, and the wording of
 * each kind of problem. Every issue names the path of the offending value
 * (`user.tags[2]`), the type expected there in the language's spelling and a
 * short description of what was found.
 */
import { INT_MAX } from "../value.js"

/** One problem with a value given for a pipeline input: where (`user.age`), what was expected and what came. */
export interface ValueIssue {
  /** Where the value sits: `user.age`, `xs[2]`, `data["first name"]`. */
  readonly path: string
  /** The expected type in language spelling (`Int`, `List<String>`). */
  readonly expected: string
  /** A short description of what was found: `"x"`, `1.5`, `null`, `an object`, `a list`. */
  readonly got: string
  /** The whole sentence, e.g. `input 'user.age': expected Int, got "x"`. */
  readonly message: string
}

/** At most this many issues are collected for one value or one set of inputs. */
export const MAX_ISSUES = 50

/** Values nest at most this deep; deeper nesting (or a cycle) is reported, never followed. */
export const MAX_DEPTH = 64

const MAX_STRING_SHOWN = 40

const MAX_NAME_SHOWN = 64

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/

/** A name as shown in a path or message: untrusted keys may be huge, so long ones are cut. */
export const clipName = (name: string): string =>
  name.length <= MAX_NAME_SHOWN ? name : `${name.slice(0, MAX_NAME_SHOWN)}...`

/**
 * Where a value sits, built as decoding descends and printed only when an
 * issue needs it: a million list elements cost a million small objects, not
 * a million strings. A root's `key` is its name, a field's a string, an
 * element's its index.
 */
export interface Path {
  readonly parent: Path | undefined
  readonly key: string | number
}

/** The path of `key` under `parent`; with no parent, `key` is the root's name. */
export const childPath = (parent: Path | undefined, key: string | number): Path => ({ parent, key })

/** `user.name`, `xs[2]`, or `user["first name"]` when a field name is not an identifier. */
export const printPath = (path: Path): string => {
  const { parent, key } = path
  if (parent === undefined) return String(key)
  const prefix = printPath(parent)
  if (typeof key === "number") return `${prefix}[${key}]`
  return IDENTIFIER.test(key) ? `${prefix}.${clipName(key)}` : `${prefix}[${JSON.stringify(clipName(key))}]`
}

const article = (word: string): string => (/^[AEIOUaeiou]/.test(word) ? `an ${word}` : `a ${word}`)

/**
 * A short description of any JavaScript value, safe on hostile input:
 * `"abc"`, `1.5`, `NaN`, `null`, `a list`, `an object`, `a Date`, `a function`.
 */
export const describeValue = (u: unknown): string => {
  switch (typeof u) {
    case "string": {
      if (u.length <= MAX_STRING_SHOWN) return JSON.stringify(u)
      const shown = JSON.stringify(u.slice(0, MAX_STRING_SHOWN))
      return `${shown.slice(0, -1)}..." (${u.length} characters)`
    }
    case "number":
      return Object.is(u, -0) ? "-0" : String(u)
    case "boolean":
      return String(u)
    case "undefined":
      return "undefined"
    case "bigint":
      return "a bigint"
    case "symbol":
      return "a symbol"
    case "function":
      return "a function"
    default: {
      if (u === null) return "null"
      if (Array.isArray(u)) return "a list"
      const proto: unknown = Object.getPrototypeOf(u)
      if (proto === null || proto === Object.prototype) return "an object"
      const ctor = typeof proto === "object" && proto !== null && Object.hasOwn(proto, "constructor")
        ? (proto as { readonly constructor: unknown }).constructor
        : undefined
      const name = typeof ctor === "function" && /^[A-Za-z_$][\w$]*$/.test(ctor.name) ? ctor.name : undefined
      return name === undefined ? "an object" : article(name)
    }
  }
}

/** `input 'user.age': expected Int, got "x"`; `detail` adds a clause after the description. */
export const mismatch = (at: Path, expected: string, got: string, detail?: string): ValueIssue => {
  const path = printPath(at)
  return {
    path,
    expected,
    got,
    message: `input '${path}': expected ${expected}, got ${got}${detail === undefined ? "" : `; ${detail}`}`
  }
}

/** `input 'user.name': missing (expected String)`. */
export const missing = (at: Path, expected: string): ValueIssue => {
  const path = printPath(at)
  return { path, expected, got: "nothing", message: `input '${path}': missing (expected ${expected})` }
}

/** The clause added when a number is not an `Int`: says what an `Int` is. */
export const INT_RANGE = `an Int is a whole number from ${-INT_MAX} to ${INT_MAX}`
