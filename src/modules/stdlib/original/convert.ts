/**
 * `stdlib.convert`, `stdlib.identity` and `stdlib.debug.log`: conversions
 * and utilities of the original standard library.
 */
import { Effect, Schema } from "effect"
import * as Module from "../../Module.js"
import { typeVariable } from "../../typeFromSchema.js"
import { safeInt } from "./errors.js"

export const convertToString = Module.sync({
  name: "stdlib.convert.to-string",
  description: "Returns the Int in decimal: to-string(-7) is \"-7\".",
  params: { value: Module.Int },
  result: Schema.String,
  run: ({ value }) => String(value)
})

export const toInt = Module.sync({
  name: "stdlib.convert.to-int",
  description: "Returns the Float truncated toward zero: to-int(3.7) is 3, to-int(-3.7) is -3. Fails with int_overflow when the result is outside the range of Int.",
  params: { value: Schema.Number },
  result: Module.Int,
  run: ({ value }) => safeInt("stdlib.convert.to-int", `to-int(${value})`, Math.trunc(value))
})

export const toFloat = Module.sync({
  name: "stdlib.convert.to-float",
  description: "Returns the Int as a Float: to-float(2) is 2.0 (2 in JSON).",
  params: { value: Module.Int },
  result: Schema.Number,
  run: ({ value }) => value
})

const T = typeVariable("T")

export const identity = Module.sync({
  name: "stdlib.identity",
  description: "Returns its value unchanged; the result has the value's type (the original's takes a String).",
  params: { value: T },
  result: T,
  run: ({ value }) => value
})

export const log = Module.make({
  name: "stdlib.debug.log",
  description: "Writes the value to the engine's log (Effect's logger, at level Info) and returns it unchanged; the result has the value's type.",
  params: { value: T },
  result: T,
  run: ({ value }) =>
    Effect.as(Effect.annotateLogs(Effect.logInfo(`[constellation-lang] ${JSON.stringify(value)}`), "module", "stdlib.debug.log"), value)
})

/** `stdlib.convert`. */
export const convertModules: ReadonlyArray<Module.Module<never>> = [convertToString, toInt, toFloat]
