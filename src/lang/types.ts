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
  /**
   * `A | B`: a value of one of the members, carried as `{tag, value}` where
   * `tag` is the member's `unionTag`. Members are flattened, deduplicated and
   * sorted by tag (build with `TUnion`), at least two of them.
   */
  | { readonly _tag: "Union"; readonly members: ReadonlyArray<Type> }
  /** `Map<K, V>`: an object for String keys, a list of `[key, value]` pairs otherwise. */
  | { readonly _tag: "Map"; readonly key: Type; readonly value: Type }
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
export const TMap = (key: Type, value: Type): Type => ({ _tag: "Map", key, value })

/**
 * The tag of a union member on the wire: the type written in the language,
 * record fields in alphabetical order (`{age: Int, name: String}`), so two
 * spellings of one type have one tag.
 */
export const unionTag = (t: Type): string => {
  switch (t._tag) {
    case "List":
      return `List<${unionTag(t.element)}>`
    case "Optional":
      return `Optional<${unionTag(t.inner)}>`
    case "Map":
      return `Map<${unionTag(t.key)}, ${unionTag(t.value)}>`
    case "Record":
      return `{${[...t.fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}: ${unionTag(v)}`).join(", ")}}`
    case "Union":
      return t.members.map(unionTag).join(" | ")
    case "Var":
      return t.name
    default:
      return t._tag
  }
}

/**
 * The union of some types: nested unions flattened, members that are the
 * same type kept once, sorted by tag. One member is that member itself; an
 * `Unknown` member makes the whole `Unknown`.
 */
export const TUnion = (types: ReadonlyArray<Type>): Type => {
  const byTag = new Map<string, Type>()
  for (const t of types) {
    for (const m of t._tag === "Union" ? t.members : [t]) {
      if (m._tag === "Unknown") return m
      const tag = unionTag(m)
      if (!byTag.has(tag)) byTag.set(tag, m)
    }
  }
  const members = [...byTag.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m)
  return members.length === 1 ? members[0]! : members.length === 0 ? TUnknown : { _tag: "Union", members }
}

/** The member of a union with this tag. */
export const unionMember = (t: Type, tag: string): Type | undefined =>
  t._tag === "Union" ? t.members.find((m) => unionTag(m) === tag) : undefined

/** Prints a type in the language's own spelling: `List<Int>`, `{name: String}`. */
export const printType = (t: Type): string => {
  switch (t._tag) {
    case "List":
      return `List<${printType(t.element)}>`
    case "Optional":
      return `Optional<${printType(t.inner)}>`
    case "Record":
      return `{${t.fields.map(([k, v]) => `${k}: ${printType(v)}`).join(", ")}}`
    case "Map":
      return `Map<${printType(t.key)}, ${printType(t.value)}>`
    case "Union":
      return t.members.map((m) => (m._tag === "Union" ? `(${printType(m)})` : printType(m))).join(" | ")
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
    case "Map":
      return b._tag === "Map" && typeEquals(a.key, b.key) && typeEquals(a.value, b.value)
    case "Union":
      return b._tag === "Union" && a.members.length === b.members.length &&
        a.members.every((m) => b.members.some((n) => typeEquals(m, n)))
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
 * element-wise through `List` and `Optional`. A type is assignable to a union
 * when it is assignable to one of its members, a union to a type when each
 * of its members is; a `Map`'s keys are invariant, its values covariant.
 */
export const isAssignable = (source: Type, target: Type): boolean => {
  if (source._tag === "Unknown" || target._tag === "Unknown") return true
  if (source._tag === "Union") return source.members.every((m) => isAssignable(m, target))
  switch (target._tag) {
    case "Union":
      return target.members.some((m) => isAssignable(source, m))
    case "Map":
      return source._tag === "Map" && typeEquals(source.key, target.key) && isAssignable(source.value, target.value)
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
