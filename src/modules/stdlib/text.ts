/**
 * Text modules of the standard library: pure functions on strings, run by
 * the runtime directly, the moment their inputs exist.
 */
import { Schema } from "effect"
import * as Module from "../Module.js"
import { ModuleError } from "../ModuleError.js"

const invalidArgument = (message: string) => new ModuleError({ code: "invalid_argument", message })

export const Uppercase = Module.sync({
  name: "Uppercase",
  description: "Returns the text in upper case: \"Hello\" gives \"HELLO\".",
  params: { text: Schema.String },
  result: Schema.String,
  run: ({ text }) => text.toUpperCase()
})

export const Lowercase = Module.sync({
  name: "Lowercase",
  description: "Returns the text in lower case: \"Hello\" gives \"hello\".",
  params: { text: Schema.String },
  result: Schema.String,
  run: ({ text }) => text.toLowerCase()
})

export const Trim = Module.sync({
  name: "Trim",
  description: "Returns the text without leading and trailing whitespace (spaces, tabs, line breaks).",
  params: { text: Schema.String },
  result: Schema.String,
  run: ({ text }) => text.trim()
})

export const Concat = Module.sync({
  name: "Concat",
  description: "Returns a followed by b: Concat(\"foo\", \"bar\") gives \"foobar\".",
  params: { a: Schema.String, b: Schema.String },
  result: Schema.String,
  run: ({ a, b }) => a + b
})

export const WordCount = Module.sync({
  name: "WordCount",
  description: "Counts the words of the text: runs of characters separated by whitespace. Empty or blank text has 0 words.",
  params: { text: Schema.String },
  result: Module.Int,
  run: ({ text }) => {
    let count = 0
    for (const word of text.split(/\s+/u)) if (word !== "") count++
    return count
  }
})

export const TextLength = Module.sync({
  name: "TextLength",
  description:
    "Counts the Unicode code points of the text: \"héllo\" is 5 and \"😀\" is 1 (an emoji built from several code points, such as a flag, counts each of them).",
  params: { text: Schema.String },
  result: Module.Int,
  run: ({ text }) => {
    let count = 0
    for (const _ of text) count++
    return count
  }
})

export const SplitLines = Module.sync({
  name: "SplitLines",
  description:
    "Splits the text into lines at \\n, \\r\\n or \\r, without the line breaks. A final line break does not start an empty line; empty text has no lines.",
  params: { text: Schema.String },
  result: Schema.Array(Schema.String),
  run: ({ text }) => {
    if (text === "") return []
    const lines = text.split(/\r\n|\n|\r/u)
    if (lines[lines.length - 1] === "") lines.pop()
    return lines
  }
})

export const Split = Module.sync({
  name: "Split",
  description:
    "Splits the text at every occurrence of the separator (taken literally): Split(\"a,b,,c\", \",\") gives [\"a\", \"b\", \"\", \"c\"]. Fails with invalid_argument when the separator is empty.",
  params: { text: Schema.String, separator: Schema.String },
  result: Schema.Array(Schema.String),
  run: ({ text, separator }) =>
    separator === "" ? invalidArgument("Split: the separator must not be empty") : text.split(separator)
})

export const Replace = Module.sync({
  name: "Replace",
  description:
    "Replaces every occurrence of find in the text with replacement, both taken literally (no patterns, no $ substitutions). Fails with invalid_argument when find is empty.",
  params: { text: Schema.String, find: Schema.String, replacement: Schema.String },
  result: Schema.String,
  run: ({ text, find, replacement }) =>
    find === "" ? invalidArgument("Replace: the text to find must not be empty") : text.split(find).join(replacement)
})

export const Contains = Module.sync({
  name: "Contains",
  description: "Whether the text contains the substring (case-sensitive). Every text contains the empty string.",
  params: { text: Schema.String, substring: Schema.String },
  result: Schema.Boolean,
  run: ({ text, substring }) => text.includes(substring)
})

/** The text modules, in the order they are documented. */
export const textModules: ReadonlyArray<Module.Module<never>> = [
  Uppercase,
  Lowercase,
  Trim,
  Concat,
  WordCount,
  TextLength,
  SplitLines,
  Split,
  Replace,
  Contains
]
