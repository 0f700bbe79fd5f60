/**
 * Evaluation of inline expressions (operators, literals, records, field
 * access, conditionals) directly, without a fiber: they cannot suspend.
 * List functions, whose lambdas run once per element, are compiled to
 * closures instead (listFunctions.ts), from the helpers exported here.
 */
import type { InlineExpr } from "../../lang/dag.js"
import type { Value } from "../../lang/value.js"
import type { Type } from "../../lang/types.js"
import { evaluateListFunction } from "./listFunctions.js"
import { NeedValue } from "./demand.js"
import { coerceValue, mergeValues, projectValue, unionOrMapEquals, untag } from "./evaluateTypes.js"

/** An inline expression that cannot produce a value (division by zero, overflow). */
export class InlineFailure {
  readonly _tag = "InlineFailure"
  constructor(readonly code: string, readonly message: string) {}
}

type Values = ReadonlyArray<Value | undefined>

const record = (v: Value): { readonly [k: string]: Value } => v as { readonly [k: string]: Value }
const list = (v: Value): ReadonlyArray<Value> => v as ReadonlyArray<Value>

const isRecordValue = (v: Value): boolean => typeof v === "object" && v !== null && !Array.isArray(v)

/** A record's field; a missing (optional) one is null. */
const fieldOf = (r: { readonly [k: string]: Value }, k: string): Value => (Object.hasOwn(r, k) ? r[k] as Value : null)

/**
 * Structural equality of two values of the same type. With `on` (the type
 * compared on), records compare only the fields it declares, through lists
 * and optionals: a value built in the pipeline may carry more.
 */
export const valueEquals = (a: Value, b: Value, on?: Type): boolean => {
  if (on !== undefined) {
    switch (on._tag) {
      case "Record": {
        if (!isRecordValue(a) || !isRecordValue(b)) return a === b
        const ra = record(a), rb = record(b)
        return on.fields.every(([k, t]) => valueEquals(fieldOf(ra, k), fieldOf(rb, k), t))
      }
      case "List": {
        if (!Array.isArray(a) || !Array.isArray(b)) break
        const bs = list(b)
        return a.length === bs.length && a.every((x, i) => valueEquals(x, bs[i] as Value, on.element))
      }
      case "Optional":
        return a === null || b === null ? a === b : valueEquals(a, b, on.inner)
      case "Union":
      case "Map":
        return unionOrMapEquals(a, b, on, valueEquals)
    }
  }
  if (a === b) return true
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false
  if (Array.isArray(a)) {
    const bs = list(b)
    return Array.isArray(bs) && a.length === bs.length && a.every((x, i) => valueEquals(x, bs[i] as Value))
  }
  const ra = record(a), rb = record(b)
  const keys = Object.keys(ra)
  return keys.length === Object.keys(rb).length && keys.every((k) => k in rb && valueEquals(ra[k] as Value, rb[k] as Value))
}

export const arithmetic = (op: "+" | "-" | "*" | "/", kind: "Int" | "Float" | "String", a: Value, b: Value): Value => {
  if (kind === "String") return (a as string) + (b as string)
  const x = a as number, y = b as number
  let r: number
  switch (op) {
    case "+": r = x + y; break
    case "-": r = x - y; break
    case "*": r = x * y; break
    case "/":
      if (y === 0) throw new InlineFailure("division_by_zero", `division by zero (${x} / 0)`)
      r = kind === "Int" ? Math.trunc(x / y) : x / y
      break
  }
  if (kind === "Int" ? !Number.isSafeInteger(r) : !Number.isFinite(r)) {
    throw new InlineFailure(kind === "Int" ? "int_overflow" : "float_overflow", `${x} ${op} ${y} is outside the range of ${kind}`)
  }
  return r
}

export const compare = (op: "==" | "!=" | "<" | ">" | "<=" | ">=", a: Value, b: Value, on: Type | undefined): boolean => {
  switch (op) {
    case "==": return valueEquals(a, b, on)
    case "!=": return !valueEquals(a, b, on)
    case "<": return (a as number | string) < (b as number | string)
    case ">": return (a as number | string) > (b as number | string)
    case "<=": return (a as number | string) <= (b as number | string)
    case ">=": return (a as number | string) >= (b as number | string)
  }
}

export const field = (v: Value, name: string, depth: number): Value => {
  if (v === null) return null
  if (depth > 0) return list(v).map((x) => field(x, name, depth - 1))
  return record(v)[name] ?? null
}

export const show = (v: Value): string => (typeof v === "string" ? v : JSON.stringify(v))

/**
 * Evaluates an inline expression over the values of the data nodes it reads.
 * @throws InlineFailure when the expression has no value.
 * @throws NeedValue when it reads a data node that has no value yet (read conditionally: demand it first).
 */
export const evaluate = (e: InlineExpr, values: Values): Value => {
  switch (e._tag) {
    case "Literal": return e.value
    case "Ref": {
      const v = values[e.data]
      if (v === undefined) throw new NeedValue(e.data)
      return v
    }
    case "Arithmetic": return arithmetic(e.op, e.kind, evaluate(e.left, values), evaluate(e.right, values))
    case "Compare": return compare(e.op, evaluate(e.left, values), evaluate(e.right, values), e.on)
    case "And": return evaluate(e.left, values) === true && evaluate(e.right, values) === true
    case "Or": return evaluate(e.left, values) === true || evaluate(e.right, values) === true
    case "Not": return evaluate(e.operand, values) !== true
    case "If": return evaluate(e.condition, values) === true ? evaluate(e.then, values) : evaluate(e.else, values)
    case "Field": return field(evaluate(e.target, values), e.field, e.listDepth)
    case "List": return e.items.map((x) => evaluate(x, values))
    // `fromEntries` defines properties, so a field named `__proto__` stays a field.
    case "Record": return Object.fromEntries(e.fields.map(([k, x]) => [k, evaluate(x, values)]))
    case "Interpolate": {
      let s = ""
      for (const p of e.parts) s += typeof p === "string" ? p : show(evaluate(p, values))
      return s
    }
    case "Coalesce": {
      const l = evaluate(e.left, values)
      return l === null ? evaluate(e.right, values) : l
    }
    case "When": return evaluate(e.condition, values) === true ? evaluate(e.value, values) : null
    case "ListFunction": return evaluateListFunction(e, values)
    // The compiler puts parameters only in lambda bodies, which `evaluateListFunction` evaluates.
    case "Param": throw new Error("a lambda parameter outside a list function")
    case "Project": return projectValue(evaluate(e.target, values), e.fields, e.listDepth)
    case "Merge":
      return mergeValues(evaluate(e.left, values), evaluate(e.right, values), e.leftDepth, e.rightDepth, e.leftFields, e.rightFields)
    case "Match": {
      const v = evaluate(e.scrutinee, values)
      const tag = e.union ? untag(v).tag : undefined
      const arm = tag === undefined ? e.arms[0] : e.arms.find((a) => a.tags.includes(tag))
      if (arm === undefined) throw new InlineFailure("match_no_arm", `no arm of the match takes a value tagged ${JSON.stringify(tag)}`)
      return evaluate(arm.body, values)
    }
    case "Untag": return untag(evaluate(e.target, values)).value
    case "Coerce": return coerceValue(evaluate(e.value, values), e.from, e.to)
    // The compiler puts per-element calls only in nodes that ElementRun.ts evaluates.
    case "Call": throw new Error("a per-element call outside its runner")
  }
}
