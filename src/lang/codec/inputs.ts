/**
 * Decoding the inputs of a run: a JSON object with one field per declared
 * input of the pipeline.
 */
import { Data, Either } from "effect"
import type { Binding } from "../dag.js"
import { printType, TRecord } from "../types.js"
import type { Value } from "../value.js"
import { decodeInto, isPlainObject } from "./decode.js"
import { clipName, describeValue, MAX_ISSUES } from "./ValueIssue.js"
import type { ValueIssue } from "./ValueIssue.js"

const SHOWN_IN_MESSAGE = 3

/** The inputs of a run do not match the pipeline's declared inputs; `issues` lists every problem found. */
export class InputError extends Data.TaggedError("InputError")<{
  readonly issues: ReadonlyArray<ValueIssue>
}> {
  override get message(): string {
    const shown = this.issues.slice(0, SHOWN_IN_MESSAGE).map((i) => i.message).join("; ")
    const rest = this.issues.length - SHOWN_IN_MESSAGE
    return shown === "" ? "invalid inputs" : rest > 0 ? `${shown} (and ${rest} more)` : shown
  }
}

const notAnObject = (bindings: ReadonlyArray<Binding>, inputs: unknown): ValueIssue => {
  const expected = printType(TRecord(bindings.map((b) => [b.name, b.type] as const)))
  const got = describeValue(inputs)
  return { path: "", expected, got, message: `inputs: expected a JSON object ${expected}, got ${got}` }
}

const notAnInput = (name: string, value: unknown, declared: ReadonlyArray<string>): ValueIssue => ({
  path: clipName(name),
  expected: "no input of this name",
  got: describeValue(value),
  message: `input '${clipName(name)}' is not an input of this pipeline; ${
    declared.length === 0 ? "it has no inputs" : `its inputs are: ${declared.join(", ")}`
  }`
})

const decodeObject = (
  bindings: ReadonlyArray<Binding>,
  inputs: Readonly<Record<string, unknown>>
): Either.Either<Record<string, Value>, InputError> => {
  const issues: Array<ValueIssue> = []
  const declared = bindings.map((b) => b.name)
  const known = new Set(declared)
  for (const key of Object.keys(inputs)) {
    if (issues.length >= MAX_ISSUES) break
    if (!known.has(key)) issues.push(notAnInput(key, inputs[key], declared))
  }
  const entries: Array<readonly [string, Value]> = []
  for (const b of bindings) {
    const v = decodeInto(b.type, Object.hasOwn(inputs, b.name) ? inputs[b.name] : undefined, b.name, issues)
    if (v !== undefined) entries.push([b.name, v])
  }
  return issues.length > 0 ? Either.left(new InputError({ issues })) : Either.right(Object.fromEntries(entries))
}

/**
 * Decodes the inputs of a run against the pipeline's input bindings. Every
 * declared input is required, except an `Optional` one (absent means
 * `null`); a name the pipeline does not declare is an issue too. Never throws.
 */
export const decodeInputs = (
  bindings: ReadonlyArray<Binding>,
  inputs: unknown
): Either.Either<Record<string, Value>, InputError> => {
  try {
    return isPlainObject(inputs)
      ? decodeObject(bindings, inputs)
      : Either.left(new InputError({ issues: [notAnObject(bindings, inputs)] }))
  } catch {
    const issue: ValueIssue = {
      path: "",
      expected: "a JSON object",
      got: "a value that could not be read",
      message: "inputs: expected a JSON object, got a value that could not be read"
    }
    return Either.left(new InputError({ issues: [issue] }))
  }
}
