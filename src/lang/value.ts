/**
 * Runtime values. Values are JSON-ready by construction: a `String` is a
 * string, `Int` and `Float` are numbers, a `Boolean` is a boolean, a
 * `List` is an array, a record is a plain object, and `Optional` is the
 * value itself or `null` for none (so `Optional<Optional<T>>` has one none).
 */
export type Value =
  | string
  | number
  | boolean
  | null
  | ReadonlyArray<Value>
  | { readonly [field: string]: Value }

/** The largest magnitude an `Int` may have: 2^53 - 1. */
export const INT_MAX = Number.MAX_SAFE_INTEGER
export const INT_MIN = Number.MIN_SAFE_INTEGER
