/**
 * Turning whatever a module failed with into the `ErrorInfo` a consumer sees:
 * a stable code, a message for a person, and the module's name. Defects keep
 * their detail out of the message (it goes to the log instead).
 */
import { Cause } from "effect"
import type { ErrorInfo } from "../ExecutionEvent.js"

const snake = (tag: string): string =>
  tag.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase()

/** A non-empty string field of a failure; a getter that throws (a hostile or broken error object) reads as absent. */
const field = (u: object, key: string): string | undefined => {
  try {
    const v = (u as Record<string, unknown>)[key]
    return typeof v === "string" && v.length > 0 ? v : undefined
  } catch {
    return undefined
  }
}

/** The error info of a typed failure `e` of module `module`. */
export const fromFailure = (module: string | null, e: unknown): ErrorInfo => {
  if (typeof e === "object" && e !== null) {
    const code = field(e, "code") ?? (field(e, "_tag") !== undefined ? snake(field(e, "_tag") as string) : "module_failed")
    const message = field(e, "message") ?? `${module ?? "expression"} failed (${code})`
    return { code, message, module }
  }
  if (typeof e === "string" && e.length > 0) return { code: "module_failed", message: e, module }
  return { code: "module_failed", message: `${module ?? "expression"} failed`, module }
}

/** The error info of a module that crashed (a defect): no detail leaks to the consumer. */
export const fromDefect = (module: string | null): ErrorInfo => ({
  code: "module_defect",
  message: `${module ?? "expression"} crashed unexpectedly; the details are in the server log`,
  module
})

/** The error info of a failed module's cause: its typed failure, or a defect. */
export const fromCause = (module: string, cause: Cause.Cause<unknown>): ErrorInfo => {
  const failure = Cause.failureOption(cause)
  return failure._tag === "Some" ? fromFailure(module, failure.value) : fromDefect(module)
}

/** The error of an output that was never computed because `cause` failed upstream. */
export const upstream = (cause: ErrorInfo): ErrorInfo =>
  cause.code === "upstream_failed"
    ? cause
    : {
      code: "upstream_failed",
      message: `not computed: ${cause.module ?? "an expression"} failed upstream (${cause.code}: ${cause.message})`,
      module: cause.module
    }
