/**
 * Type variables in module signatures (`Delay(value: T, ms: Int): T`):
 * bound per call by matching each parameter type against its argument's
 * type, then substituted into the parameter and result types.
 */
import { TList, TMap, TOptional, TRecord, TUnion, TUnknown, recordField } from "../types.js"
import type { Type } from "../types.js"
import { join } from "./join.js"

export type Bindings = Map<string, Type>

/**
 * Binds the variables of `param` from `arg`. A variable seen twice takes the
 * common type of both arguments when there is one, else keeps its first
 * binding (and the argument check reports the mismatch).
 */
export const bindVariables = (param: Type, arg: Type, bindings: Bindings): void => {
  switch (param._tag) {
    case "Var": {
      const bound = bindings.get(param.name)
      if (bound === undefined) bindings.set(param.name, arg)
      else bindings.set(param.name, join(bound, arg) ?? bound)
      return
    }
    case "List":
      if (arg._tag === "List") bindVariables(param.element, arg.element, bindings)
      else if (arg._tag === "Unknown") bindVariables(param.element, arg, bindings)
      return
    case "Optional":
      bindVariables(param.inner, arg._tag === "Optional" ? arg.inner : arg, bindings)
      return
    case "Record":
      for (const [name, type] of param.fields) {
        const field = arg._tag === "Unknown" ? arg : recordField(arg, name)
        if (field !== undefined) bindVariables(type, field, bindings)
      }
      return
    case "Map":
      if (arg._tag === "Map") {
        bindVariables(param.key, arg.key, bindings)
        bindVariables(param.value, arg.value, bindings)
      }
      return
    default:
      return
  }
}

/** Replaces bound variables by their types and unbound ones by `Unknown`. */
export const substitute = (type: Type, bindings: Bindings): Type => {
  switch (type._tag) {
    case "Var":
      return bindings.get(type.name) ?? TUnknown
    case "List":
      return TList(substitute(type.element, bindings))
    case "Optional": {
      const inner = substitute(type.inner, bindings)
      return inner._tag === "Optional" ? inner : TOptional(inner)
    }
    case "Record":
      return TRecord(type.fields.map(([name, t]) => [name, substitute(t, bindings)] as const))
    case "Map":
      return TMap(substitute(type.key, bindings), substitute(type.value, bindings))
    case "Union":
      return TUnion(type.members.map((m) => substitute(m, bindings)))
    default:
      return type
  }
}

/** Whether a type mentions a type variable. */
export const hasVariables = (type: Type): boolean => {
  switch (type._tag) {
    case "Var":
      return true
    case "List":
      return hasVariables(type.element)
    case "Optional":
      return hasVariables(type.inner)
    case "Record":
      return type.fields.some(([, t]) => hasVariables(t))
    case "Map":
      return hasVariables(type.key) || hasVariables(type.value)
    case "Union":
      return type.members.some(hasVariables)
    default:
      return false
  }
}
