/**
 * The error a module implementation fails with. `code` is a stable,
 * machine-readable snake_case word; `message` is for a person.
 */
import { Data } from "effect"

export class ModuleError extends Data.TaggedError("ModuleError")<{
  readonly code: string
  readonly message: string
}> {}
