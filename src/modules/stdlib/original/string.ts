/**
 * `stdlib.string`: text functions of the original standard library. None
 * of them fails.
 */
import { Schema } from "effect"
import * as Module from "../../Module.js"

export const concat = Module.sync({
  name: "stdlib.string.concat",
  description: "Returns a followed by b: concat(\"foo\", \"bar\") is \"foobar\".",
  params: { a: Schema.String, b: Schema.String },
  result: Schema.String,
  run: ({ a, b }) => a + b
})

export const stringLength = Module.sync({
  name: "stdlib.string.string-length",
  description: "Returns the length of the text in UTF-16 code units, as the original does: \"héllo\" is 5, an emoji such as \"😀\" is 2 (TextLength counts code points).",
  params: { value: Schema.String },
  result: Module.Int,
  run: ({ value }) => value.length
})

export const join = Module.sync({
  name: "stdlib.string.join",
  description: "Joins the texts with the separator between them: join([\"a\", \"b\"], \", \") is \"a, b\"; an empty list gives \"\".",
  params: { list: Schema.Array(Schema.String), separator: Schema.String },
  result: Schema.String,
  run: ({ list, separator }) => list.join(separator)
})

export const split = Module.sync({
  name: "stdlib.string.split",
  description: "Splits the text at every occurrence of substring, keeping empty pieces: split(\"a,,b\", \",\") is [\"a\", \"\", \"b\"]. An empty substring, or one that does not occur, gives [value].",
  params: { value: Schema.String, substring: Schema.String },
  result: Schema.Array(Schema.String),
  run: ({ value, substring }) => (substring === "" ? [value] : value.split(substring))
})

export const contains = Module.sync({
  name: "stdlib.string.contains",
  description: "Returns whether substring occurs in the text; the empty substring occurs in every text.",
  params: { value: Schema.String, substring: Schema.String },
  result: Schema.Boolean,
  run: ({ value, substring }) => value.includes(substring)
})

export const trim = Module.sync({
  name: "stdlib.string.trim",
  description: "Returns the text without leading and trailing white space: trim(\"  hi  \") is \"hi\".",
  params: { value: Schema.String },
  result: Schema.String,
  run: ({ value }) => value.trim()
})

export const replace = Module.sync({
  name: "stdlib.string.replace",
  description: "Replaces every occurrence of target, as plain text, by replacement: replace(\"aaa\", \"a\", \"b\") is \"bbb\".",
  params: { value: Schema.String, target: Schema.String, replacement: Schema.String },
  result: Schema.String,
  // A function replacement, so `$&` and the like in it stay plain text.
  run: ({ value, target, replacement }) => value.replaceAll(target, () => replacement)
})

/** `stdlib.string`, in the order the reference lists it. */
export const stringModules: ReadonlyArray<Module.Module<never>> = [concat, stringLength, join, split, contains, trim, replace]
