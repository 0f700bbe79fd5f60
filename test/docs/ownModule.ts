import { Effect, Schema } from "effect"
import { Module, ModuleError } from "../../src/index.js"

/** A pure function: the engine calls it the moment its argument exists. */
export const Initials = Module.sync({
  name: "Initials",
  description: "Returns the upper-cased first letter of each word: \"ada lovelace\" gives \"AL\".",
  params: { name: Schema.String },
  result: Schema.String,
  run: ({ name }) =>
    name.split(/\s+/u).filter((word) => word !== "").map((word) => word.charAt(0).toUpperCase()).join("")
})

const users = new Map([["1", { name: "Ada Lovelace", age: 36 }]])

/** An effect: it may wait, fail with a typed error, and (through its layer) need services. */
export const LookupUser = Module.make({
  name: "LookupUser",
  description: "Finds a user by id after 20 ms. Fails with not_found for an unknown id.",
  params: { id: Schema.String },
  result: Schema.Struct({ name: Schema.String, age: Module.Int, email: Schema.optional(Schema.String) }),
  run: ({ id }) => {
    const user = users.get(id)
    return user === undefined
      ? Effect.fail(new ModuleError({ code: "not_found", message: `LookupUser: no user has the id ${id}` }))
      : Effect.as(Effect.sleep("20 millis"), user)
  }
})
