/**
 * The error a module implementation fails with. `code` is a stable,
 * machine-readable snake_case word; `message` is for a person.
 */
import { Data } from "effect"

/** The error a module fails with: a stable `code` and a message, reported in the output's error event. */
export class ModuleError extends Data.TaggedError("ModuleError")<{
  readonly code: string
  readonly message: string
}> {}
