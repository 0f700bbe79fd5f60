/**
 * What a finished call's outcome becomes under its options: with
 * `on_error: wrap` every outcome is a value (the Either-like record), with
 * `skip` or `log` a failure becomes the zero value of the call's type.
 */
import type { ModuleNode } from "../../lang/dag.js"
import { wrapError, wrapValue, zeroValue } from "../../lang/onError.js"
import type { Type } from "../../lang/types.js"
import type { Value } from "../../lang/value.js"
import type { ErrorInfo } from "../ExecutionEvent.js"

/** The value a successful call gives its consumers. */
export const successValue = (node: ModuleNode, value: Value): Value => (node.options.onError === "wrap" ? wrapValue(value) : value)

/**
 * The value standing for a failed call (`on_error` other than propagate), or
 * `undefined` when the failure stands. `type` is the call's data node's type.
 */
export const failureValue = (node: ModuleNode, type: Type, error: ErrorInfo): Value | undefined => {
  switch (node.options.onError) {
    case "wrap":
      return wrapError(error)
    case "skip":
    case "log":
      return zeroValue(type) ?? null
    default:
      return undefined
  }
}
