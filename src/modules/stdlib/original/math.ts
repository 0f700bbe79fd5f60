/**
 * `stdlib.math`: integer arithmetic of the original standard library. An
 * Int is a safe integer here, so a result outside ±(2^53 - 1) fails with
 * `int_overflow` instead of wrapping around, and `divide` and `modulo` by
 * zero fail with `division_by_zero`.
 */
import { Schema } from "effect"
import * as Module from "../../Module.js"
import { divisionByZero, safeInt } from "./errors.js"

const two = { a: Module.Int, b: Module.Int }
const one = { value: Module.Int }

export const add = Module.sync({
  name: "stdlib.math.add",
  description: "Returns a + b. Fails with int_overflow when the sum is outside the range of Int.",
  params: two,
  result: Module.Int,
  run: ({ a, b }) => safeInt("stdlib.math.add", `${a} + ${b}`, a + b)
})

export const subtract = Module.sync({
  name: "stdlib.math.subtract",
  description: "Returns a - b. Fails with int_overflow when the difference is outside the range of Int.",
  params: two,
  result: Module.Int,
  run: ({ a, b }) => safeInt("stdlib.math.subtract", `${a} - ${b}`, a - b)
})

export const multiply = Module.sync({
  name: "stdlib.math.multiply",
  description: "Returns a * b. Fails with int_overflow when the product is outside the range of Int.",
  params: two,
  result: Module.Int,
  run: ({ a, b }) => safeInt("stdlib.math.multiply", `${a} * ${b}`, a * b)
})

export const divide = Module.sync({
  name: "stdlib.math.divide",
  description: "Returns a / b, truncated toward zero: divide(7, 2) is 3, divide(-7, 2) is -3. Fails with division_by_zero when b is 0.",
  params: two,
  result: Module.Int,
  // a - a % b is an exact multiple of b, so the division is exact (a / b in floating point could round).
  run: ({ a, b }) => (b === 0 ? divisionByZero("stdlib.math.divide", a) : safeInt("stdlib.math.divide", `${a} / ${b}`, (a - (a % b)) / b))
})

export const modulo = Module.sync({
  name: "stdlib.math.modulo",
  description: "Returns the remainder of a / b, with the sign of a: modulo(7, 3) is 1, modulo(-7, 3) is -1. Fails with division_by_zero when b is 0.",
  params: two,
  result: Module.Int,
  run: ({ a, b }) => (b === 0 ? divisionByZero("stdlib.math.modulo", a) : safeInt("stdlib.math.modulo", `${a} % ${b}`, a % b))
})

export const max = Module.sync({
  name: "stdlib.math.max",
  description: "Returns the larger of a and b.",
  params: two,
  result: Module.Int,
  run: ({ a, b }) => (a >= b ? a : b)
})

export const min = Module.sync({
  name: "stdlib.math.min",
  description: "Returns the smaller of a and b.",
  params: two,
  result: Module.Int,
  run: ({ a, b }) => (a <= b ? a : b)
})

export const abs = Module.sync({
  name: "stdlib.math.abs",
  description: "Returns the absolute value: abs(-5) is 5. Every Int has one, since the range is symmetric.",
  params: one,
  result: Module.Int,
  run: ({ value }) => Math.abs(value)
})

export const negate = Module.sync({
  name: "stdlib.math.negate",
  description: "Returns -value: negate(5) is -5, negate(-5) is 5.",
  params: one,
  result: Module.Int,
  run: ({ value }) => (value === 0 ? 0 : -value)
})

export const round = Module.sync({
  name: "stdlib.math.round",
  description: "Rounds a Float to the nearest Int, halves up: round(3.5) is 4, round(-2.5) is -2, round(-2.7) is -3. Fails with int_overflow when the result is outside the range of Int.",
  params: { value: Schema.Number },
  result: Module.Int,
  run: ({ value }) => safeInt("stdlib.math.round", `round(${value})`, Math.round(value))
})

/** `stdlib.math`, in the order the reference lists it. */
export const mathModules: ReadonlyArray<Module.Module<never>> = [add, subtract, multiply, divide, max, min, abs, modulo, round, negate]
