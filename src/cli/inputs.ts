/**
 * A run's inputs from the command line: `--inputs file.json` (an object),
 * then each `--input name=value` over it. A value is taken as it is for an
 * input declared `String` (or `Optional<String>`), and read as JSON
 * otherwise (`--input n=3`, `--input tags='["a","b"]'`); a value that is
 * not JSON is passed as a string, for the type check to explain. An input
 * given neither way takes its literal `@example` value, if it has one.
 */
import { Either } from "effect"
import type { Value } from "../lang/value.js"
import { usage } from "./CliFailure.js"
import type { CliFailure } from "./CliFailure.js"

/** Input name to its type as the language prints it (`String`, `List<Int>`). */
export type InputTypes = Readonly<Record<string, string>>

const STRING_TYPES: ReadonlySet<string> = new Set(["String", "Optional<String>"])

/** A `name=value` argument split at its first `=`. */
export const parseAssignment = (arg: string): Either.Either<readonly [string, string], CliFailure> => {
  const at = arg.indexOf("=")
  const name = at < 0 ? "" : arg.slice(0, at).trim()
  if (name === "") return Either.left(usage(`--input expects name=value, got "${arg}"`))
  return Either.right([name, arg.slice(at + 1)] as const)
}

/** A value given on the command line, as the input's declared type wants it. */
export const coerce = (type: string | undefined, raw: string): unknown => {
  if (type === undefined || STRING_TYPES.has(type)) return raw
  return Either.getOrElse(Either.try((): unknown => JSON.parse(raw)), () => raw)
}

/** The contents of an `--inputs` file: a JSON object. */
export const parseInputsFile = (path: string, text: string): Either.Either<Record<string, unknown>, CliFailure> =>
  Either.try((): unknown => JSON.parse(text)).pipe(
    Either.mapLeft((e) => usage(`${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`)),
    Either.flatMap((json) =>
      typeof json === "object" && json !== null && !Array.isArray(json)
        ? Either.right({ ...json })
        : Either.left(usage(`${path} must hold a JSON object of inputs, e.g. {"query": "hello"}`))
    )
  )

/** The inputs of a run: the file's, then every `--input` over them. */
export const buildInputs = (
  types: InputTypes,
  fromFile: Readonly<Record<string, unknown>>,
  assignments: ReadonlyArray<string>
): Either.Either<Record<string, unknown>, CliFailure> => {
  const inputs: Record<string, unknown> = { ...fromFile }
  for (const arg of assignments) {
    const parsed = parseAssignment(arg)
    if (Either.isLeft(parsed)) return Either.left(parsed.left)
    const [name, raw] = parsed.right
    inputs[name] = coerce(types[name], raw)
  }
  return Either.right(inputs)
}

/** The inputs with the `@example` value of each declared input not among them, and which inputs took one. */
export const withExamples = (
  inputs: Readonly<Record<string, unknown>>,
  declared: ReadonlyArray<string>,
  examples: ReadonlyMap<string, Value>
): { readonly inputs: Record<string, unknown>; readonly fromExamples: ReadonlyArray<readonly [string, Value]> } => {
  const fromExamples = declared.flatMap((name) => {
    const example = examples.get(name)
    return Object.hasOwn(inputs, name) || example === undefined ? [] : [[name, example] as const]
  })
  return { inputs: { ...inputs, ...Object.fromEntries(fromExamples) }, fromExamples }
}
