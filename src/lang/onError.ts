/**
 * What `on_error` makes of a failed call: the zero value of its type (for
 * `skip` and `log`) and, for `wrap`, the Either-like record that carries
 * either the value or the error. Shared by the checker (which types the
 * call) and the runtime (which builds the values).
 */
import type { Value } from "./value.js"
import { TBoolean, TOptional, TRecord, TString } from "./types.js"
import type { Type } from "./types.js"

/** The strategies of `on_error`; `propagate` (the default) fails the call's value as usual. */
export const onErrorStrategies = ["propagate", "skip", "log", "wrap"] as const
export type OnErrorStrategy = (typeof onErrorStrategies)[number]

/**
 * The zero value of a type: 0, 0.0, "", false, [], null for an Optional,
 * and a record of its fields' zero values. `undefined` for a type that has
 * none (a type variable, or a type this function does not know).
 */
export const zeroValue = (t: Type): Value | undefined => {
  switch (t._tag) {
    case "Int":
    case "Float":
      return 0
    case "String":
      return ""
    case "Boolean":
      return false
    case "List":
      return []
    case "Optional":
    case "Unknown":
      return null
    case "Record": {
      const fields: Array<readonly [string, Value]> = []
      for (const [name, field] of t.fields) {
        const zero = zeroValue(field)
        if (zero === undefined) return undefined
        fields.push([name, zero])
      }
      // `fromEntries` defines properties, so a field named `__proto__` stays a field.
      return Object.fromEntries(fields)
    }
    default:
      return undefined
  }
}

/** The error a wrapped result carries: the failure's code and message, and the module that failed. */
export const wrappedErrorType: Type = TRecord([["code", TString], ["message", TString], ["module", TOptional(TString)]])

/**
 * The type of a call with `on_error: wrap` whose module returns `t`:
 * `{isRight: Boolean, right: Optional<t>, left: Optional<{code, message, module}>}`.
 * An Optional `t` stays one level deep: `right` is `null` on failure either way.
 */
export const wrapType = (t: Type): Type =>
  TRecord([["isRight", TBoolean], ["right", t._tag === "Optional" ? t : TOptional(t)], ["left", TOptional(wrappedErrorType)]])

/** The wrapped value of a success. */
export const wrapValue = (value: Value): Value => ({ isRight: true, right: value, left: null })

/** The wrapped value of a failure. */
export const wrapError = (error: { readonly code: string; readonly message: string; readonly module: string | null }): Value => ({
  isRight: false,
  right: null,
  left: { code: error.code, message: error.message, module: error.module }
})
