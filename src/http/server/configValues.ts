/**
 * Helpers for the HTTP service's settings: every one is an environment
 * variable (through Effect's `Config`) with a documented default.
 */
import { Config } from "effect"

/** A whole number of at least `min`, read from `name`, `fallback` when unset. */
export const integerAtLeast = (name: string, min: number, fallback: number, description: string): Config.Config<number> =>
  Config.integer(name).pipe(
    Config.validate({ message: `${name} must be a whole number of at least ${min}`, validation: (n) => n >= min }),
    Config.withDefault(fallback),
    Config.withDescription(description)
  )
