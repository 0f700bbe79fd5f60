/**
 * The failures the original standard library's functions share: Int
 * results outside the safe range, division by zero, an empty list.
 */
import { ModuleError } from "../../ModuleError.js"

/** `r` when it is a safe integer (with `-0` as `0`), else `int_overflow` naming the operation. */
export const safeInt = (name: string, detail: string, r: number): number | ModuleError =>
  Number.isSafeInteger(r)
    ? r === 0 ? 0 : r
    : new ModuleError({ code: "int_overflow", message: `${name}: ${detail} is outside the range of Int (±9007199254740991)` })

export const divisionByZero = (name: string, a: number): ModuleError =>
  new ModuleError({ code: "division_by_zero", message: `${name}: division by zero (${a} / 0)` })

export const emptyList = (name: string): ModuleError =>
  new ModuleError({ code: "empty_list", message: `${name}: the list is empty` })
