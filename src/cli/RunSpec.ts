/**
 * What `constellation run` was asked to run, whichever side runs it.
 */
import { Effect, Either, Schema, Stream } from "effect"
import { StreamEvent } from "../client/StreamEvent.js"
import { toWire } from "../protocol/events.js"
import type { ExecutionEvent } from "../protocol/events.js"
import type { CliFailure } from "./CliFailure.js"
import { buildInputs } from "./inputs.js"
import type { InputTypes } from "./inputs.js"

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

/** The inputs of a run, once the pipeline's input types are known. */
export const inputsOf = (spec: RunSpec, types: InputTypes): Effect.Effect<Record<string, unknown>, CliFailure> =>
  Either.match(buildInputs(types, spec.fromFile, spec.assignments), { onLeft: Effect.fail, onRight: Effect.succeed })

const decodeStreamEvent = Schema.decodeUnknown(StreamEvent)

/** An engine event in the form a client receives it: the server's own wire mapping, decoded with the client's Schema. */
export const asStreamEvent = (e: ExecutionEvent): Effect.Effect<StreamEvent> => {
  const wire = toWire(e)
  return Effect.orDie(decodeStreamEvent({ event: wire.event, data: wire.data }))
}
