import { Schema } from "effect"
import { Module } from "../../src/index.js"

export const Shout = Module.sync({
  name: "Shout",
  description: "Upper-cases the text and adds marks: Shout(\"hi\") gives \"HI!\".",
  params: { text: Schema.String, marks: Module.Int },
  defaults: { marks: 1 },
  result: Schema.String,
  run: ({ text, marks }) => text.toUpperCase() + "!".repeat(marks)
})
