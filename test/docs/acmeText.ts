/**
 * A namespace of the docs tests' own, `acme.text`, whose `trim` clashes
 * with `stdlib.string.trim`: docs/language.md shows the ambiguity (E252)
 * with it.
 */
import { Schema } from "effect"
import { Module } from "../../src/index.js"

export const acmeTrim = Module.sync({
  name: "acme.text.trim",
  description: "Trims the text and wraps it in brackets: trim(\" a \") gives \"[a]\".",
  params: { value: Schema.String },
  result: Schema.String,
  run: ({ value }) => `[${value.trim()}]`
})
