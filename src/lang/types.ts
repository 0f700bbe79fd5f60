/**
 * The types of constellation-lang, shared by the checker, the compiler,
 * the value codecs and the module API.
 *
 * `Int` is a 64-bit integer in the language; in JavaScript it is a `number`
 * restricted to the safe-integer range (|n| <= 2^53 - 1), the largest range
 * JSON numbers carry exactly. Values outside it are rejected at the input
 * boundary and arithmetic that leaves it fails with `int_overflow`.
 */
export type Type =
  | { readonly _tag: "String" }
  | { readonly _tag: "Int" }
  | { readonly _tag: "Float" }
  | { readonly _tag: "Boolean" }
  | { readonly _tag: "Record"; readonly fields: ReadonlyArray<readonly [string, Type]> }
  | { readonly _tag: "List"; readonly element: Type }
  | { readonly _tag: "Optional"; readonly inner: Type }
  /** The type of `[]` and of failed checks: assignable to and from everything, never reported twice. */
  | { readonly _tag: "Unknown" }
  /**
   * A type variable, only in module signatures: `Delay(value: T, ms: Int): T`.
   * The checker binds it per call from the arguments.
   */
  | { readonly _tag: "Var"; readonly name: string }

export const TString: Type = { _tag: "String" }
export const TInt: Type = { _tag: "Int" }
export const TFloat: Type = { _tag: "Float" }
export const TBoolean: Type = { _tag: "Boolean" }
export const TUnknown: Type = { _tag: "Unknown" }
export const TVar = (name: string): Type => ({ _tag: "Var", name })
export const TList = (element: Type): Type => ({ _tag: "List", element })
export const TOptional = (inner: Type): Type => ({ _tag: "Optional", inner })
export const TRecord = (fields: ReadonlyArray<readonly [string, Type]>): Type => ({ _tag: "Record", fields })

/** Prints a type in the language's own spelling: `List<Int>`, `{name: String}`. */
export const printType = (t: Type): string => {
  switch (t._tag) {
    case "List":
      return `List<${printType(t.element)}>`
    case "Optional":
      return `Optional<${printType(t.inner)}>`
    case "Record":
      return `{${t.fields.map(([k, v]) => `${k}: ${printType(v)}`).join(", ")}}`
    case "Var":
      return t.name
    default:
      return t._tag
  }
}

/** The field of a record type, if it has one of that name. */
export const recordField = (t: Type, name: string): Type | undefined => {
  if (t._tag !== "Record") return undefined
  for (const [k, v] of t.fields) if (k === name) return v
  return undefined
}

/** Structural equality; `Unknown` equals everything. */
export const typeEquals = (a: Type, b: Type): boolean => {
  if (a._tag === "Unknown" || b._tag === "Unknown") return true
  switch (a._tag) {
    case "List":
      return b._tag === "List" && typeEquals(a.element, b.element)
    case "Optional":
      return b._tag === "Optional" && typeEquals(a.inner, b.inner)
    case "Record": {
      if (b._tag !== "Record" || a.fields.length !== b.fields.length) return false
      return a.fields.every(([k, v]) => {
        const other = recordField(b, k)
        return other !== undefined && typeEquals(v, other)
      })
    }
    case "Var":
      return b._tag === "Var" && a.name === b.name
    default:
      return a._tag === b._tag
  }
}

/**
 * Whether a value of type `source` may be used where `target` is expected.
 * Rules: equal types; `Int` widens to `Float`; `T` to `Optional<T>`; a record
 * with more fields to a record with fewer (width subtyping); and the same
 * element-wise through `List` and `Optional`.
 */
export const isAssignable = (source: Type, target: Type): boolean => {
  if (source._tag === "Unknown" || target._tag === "Unknown") return true
  switch (target._tag) {
    case "Float":
      return source._tag === "Float" || source._tag === "Int"
    case "Optional":
      return source._tag === "Optional"
        ? isAssignable(source.inner, target.inner)
        : isAssignable(source, target.inner)
    case "List":
      return source._tag === "List" && isAssignable(source.element, target.element)
    case "Record":
      return source._tag === "Record" && target.fields.every(([k, v]) => {
        const s = recordField(source, k)
        return s !== undefined && isAssignable(s, v)
      })
    default:
      return source._tag === target._tag
  }
}

export const isNumeric = (t: Type): boolean => t._tag === "Int" || t._tag === "Float" || t._tag === "Unknown"
