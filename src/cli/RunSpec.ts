/**
 * What `constellation run` was asked to run, whichever side runs it.
 */
import { Effect, Either, Schema, Stream } from "effect"
import { StreamEvent, toWire } from "../protocol/events.js"
import type { ExecutionEvent } from "../protocol/events.js"
import { exampleInputs } from "../lang/exampleInputs.js"
import type { CliFailure } from "./CliFailure.js"
import { buildInputs, withExamples } from "./inputs.js"
import type { InputTypes } from "./inputs.js"
import { formatExampleNote } from "./render.js"
import { Terminal } from "./Terminal.js"

export interface RunSpec {
  /** The pipeline's file, as given (for diagnostics). */
  readonly file: string
  readonly source: string
  /** The inputs of the `--inputs` file, if any. */
  readonly fromFile: Readonly<Record<string, unknown>>
  /** Every `--input name=value`, in order. */
  readonly assignments: ReadonlyArray<string>
  /** Whether to ask for module and progress events. */
  readonly progress: boolean
}

/** A run's events, ready to be pulled: pulling starts the execution. */
export type RunEvents = Stream.Stream<StreamEvent, CliFailure>

/**
 * The inputs of a run, once the pipeline's input types are known (in
 * declaration order): the command line's, and the `@example` value of each
 * input it does not give, which a note on stderr names.
 */
export const inputsOf = (spec: RunSpec, types: InputTypes): Effect.Effect<Record<string, unknown>, CliFailure, Terminal> =>
  Effect.gen(function*() {
    const given = yield* Either.match(buildInputs(types, spec.fromFile, spec.assignments), { onLeft: Effect.fail, onRight: Effect.succeed })
    const { inputs, fromExamples } = withExamples(given, Object.keys(types), exampleInputs(spec.source))
    if (fromExamples.length > 0) yield* Effect.flatMap(Terminal, (terminal) => terminal.err(formatExampleNote(fromExamples)))
    return inputs
  })

const decodeStreamEvent = Schema.decodeUnknown(StreamEvent)

/** An engine event in the form a client receives it: the server's own wire mapping, decoded with the client's Schema. */
export const asStreamEvent = (e: ExecutionEvent): Effect.Effect<StreamEvent> => {
  const wire = toWire(e)
  return Effect.orDie(decodeStreamEvent({ event: wire.event, data: wire.data }))
}
