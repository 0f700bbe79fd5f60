/**
 * `stdlib.compare` and `stdlib.bool`: comparisons and Boolean logic of the
 * original standard library, as functions (the language also has the
 * operators `==`, `<`, `and`, `or`, `not`). None of them fails.
 */
import { Schema } from "effect"
import * as Module from "../../Module.js"

const ints = { a: Module.Int, b: Module.Int }

const comparison = (name: string, description: string, f: (a: number, b: number) => boolean) =>
  Module.sync({ name: `stdlib.compare.${name}`, description, params: ints, result: Schema.Boolean, run: ({ a, b }) => f(a, b) })

export const eqInt = comparison("eq-int", "Returns whether the two Ints are equal.", (a, b) => a === b)

export const eqString = Module.sync({
  name: "stdlib.compare.eq-string",
  description: "Returns whether the two texts are equal, case-sensitively: eq-string(\"Hello\", \"hello\") is false.",
  params: { a: Schema.String, b: Schema.String },
  result: Schema.Boolean,
  run: ({ a, b }) => a === b
})

export const gt = comparison("gt", "Returns whether a > b.", (a, b) => a > b)
export const lt = comparison("lt", "Returns whether a < b.", (a, b) => a < b)
export const gte = comparison("gte", "Returns whether a >= b.", (a, b) => a >= b)
export const lte = comparison("lte", "Returns whether a <= b.", (a, b) => a <= b)

const bools = { a: Schema.Boolean, b: Schema.Boolean }

export const and = Module.sync({
  name: "stdlib.bool.and",
  description: "Returns a and b. Both arguments are computed first; the operator `a and b` skips b when a is false.",
  params: bools,
  result: Schema.Boolean,
  run: ({ a, b }) => a && b
})

export const or = Module.sync({
  name: "stdlib.bool.or",
  description: "Returns a or b. Both arguments are computed first; the operator `a or b` skips b when a is true.",
  params: bools,
  result: Schema.Boolean,
  run: ({ a, b }) => a || b
})

export const not = Module.sync({
  name: "stdlib.bool.not",
  description: "Returns the negation of the value. Written not(x) it is the operator `not`, which gives the same result.",
  params: { value: Schema.Boolean },
  result: Schema.Boolean,
  run: ({ value }) => !value
})

/** `stdlib.compare`, in the order the reference lists it. */
export const compareModules: ReadonlyArray<Module.Module<never>> = [eqInt, eqString, gt, lt, gte, lte]
/** `stdlib.bool`. */
export const boolModules: ReadonlyArray<Module.Module<never>> = [and, or, not]
