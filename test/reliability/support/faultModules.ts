/**
 * Modules that misbehave in every way a module can, for the module-fault
 * suite: a typed failure, a synchronous throw (while building the effect,
 * or from a plain function), a defect (at once or later), a hang (of an
 * effect, or of a Promise), a result of the wrong type, and hostile values
 * thrown or failed with (getters that throw, cycles). Their messages hold a
 * secret and a file path that must never reach a client.
 */
import { Duration, Effect, Schema } from "effect"
import * as Module from "../../../src/modules/Module.js"
import { ModuleError } from "../../../src/modules/ModuleError.js"

/** Text that must appear in no response: it is only in defects and logs. */
export const SECRET = "s3cr3t-internal"
export const SECRET_PATH = "/work/main/src/secret/internal.ts"

const secretError = () => new Error(`${SECRET} at ${SECRET_PATH}:42`)

/** An object that throws when anything reads it. */
const hostile = (): unknown => {
  const o: Record<string, unknown> = {}
  o["self"] = o
  for (const key of ["code", "message", "_tag", "name", "stack", "toString", "toJSON", "valueOf"]) {
    Object.defineProperty(o, key, { enumerable: true, get: () => { throw secretError() } })
  }
  return o
}

const text = { text: Schema.String }

export const faultModules: ReadonlyArray<Module.Module<never>> = [
  Module.make({
    name: "Fails",
    description: "Fails with a typed ModuleError `boom`.",
    params: text,
    result: Schema.String,
    run: () => Effect.fail(new ModuleError({ code: "boom", message: "Fails: it always fails" }))
  }),
  Module.make({
    name: "Throws",
    description: "Throws while building its effect.",
    params: text,
    result: Schema.String,
    run: (): Effect.Effect<string> => {
      throw secretError()
    }
  }),
  Module.sync({
    name: "ThrowsSync",
    description: "A plain function that throws.",
    params: text,
    result: Schema.String,
    run: (): string => {
      throw secretError()
    }
  }),
  Module.sync({
    name: "ThrowsString",
    description: "A plain function that throws something that is not an Error.",
    params: text,
    result: Schema.String,
    run: (): string => {
      throw `${SECRET} thrown as a string`
    }
  }),
  Module.make({
    name: "Dies",
    description: "Dies (a defect) at once.",
    params: text,
    result: Schema.String,
    run: () => Effect.die(secretError())
  }),
  Module.make({
    name: "DiesLater",
    description: "Dies after 5 ms.",
    params: text,
    result: Schema.String,
    run: () => Effect.zipRight(Effect.sleep(Duration.millis(5)), Effect.die(secretError()))
  }),
  Module.make({
    name: "Hangs",
    description: "Never finishes (an effect that never resumes).",
    params: text,
    result: Schema.String,
    run: () => Effect.never
  }),
  Module.make({
    name: "HangsPromise",
    description: "Never finishes (a Promise that never settles).",
    params: text,
    result: Schema.String,
    run: () => Effect.promise(() => new Promise<string>(() => undefined))
  }),
  Module.make({
    name: "WrongType",
    description: "Declares a String, returns a number.",
    params: text,
    result: Schema.String,
    run: () => Effect.succeed(42 as unknown as string)
  }),
  Module.sync({
    name: "WrongTypeSync",
    description: "Declares an Int, returns text.",
    params: text,
    result: Module.Int,
    run: () => "not a number" as unknown as number
  }),
  Module.make({
    name: "ReturnsUndefined",
    description: "Declares a record, returns undefined later.",
    params: text,
    result: Schema.Struct({ a: Schema.String }),
    run: () => Effect.as(Effect.sleep(Duration.millis(1)), undefined as unknown as { readonly a: string })
  }),
  Module.make({
    name: "FailsHostile",
    description: "Fails with an object whose every field throws.",
    params: text,
    result: Schema.String,
    run: () => Effect.fail(hostile())
  }),
  Module.make({
    name: "DiesHostile",
    description: "Dies with an object whose every field throws.",
    params: text,
    result: Schema.String,
    run: () => Effect.die(hostile())
  }),
  Module.sync({
    name: "ThrowsHostile",
    description: "Throws an object whose every field throws.",
    params: text,
    result: Schema.String,
    run: (): string => {
      throw hostile()
    }
  })
]
