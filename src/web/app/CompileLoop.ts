/**
 * Compiles the source as the user types: a short while after the last
 * keystroke, `POST /compile` through the client; a newer source aborts the
 * request of an older one, so only the latest outcome is reported.
 */
import type { CompileResponse, ConstellationClient } from "../../client/index.js"
import { describeError, keyProblem } from "./api.js"
import { diagnosticsOf } from "./diagnostics.js"
import type { DiagnosticWire } from "./diagnostics.js"

export type CompileOutcome =
  | { readonly _tag: "Compiled"; readonly source: string; readonly compiled: CompileResponse }
  | { readonly _tag: "Invalid"; readonly source: string; readonly diagnostics: ReadonlyArray<DiagnosticWire> }
  | { readonly _tag: "Unavailable"; readonly source: string; readonly message: string; readonly keyProblem: string | undefined }

export interface CompileLoop {
  /** Compiles `source` after the debounce delay. */
  readonly schedule: (source: string) => void
  /** Compiles `source` now. */
  readonly now: (source: string) => void
}

export const makeCompileLoop = (
  client: Pick<ConstellationClient, "compile">,
  onOutcome: (outcome: CompileOutcome) => void,
  delayMs = 250
): CompileLoop => {
  let timer: ReturnType<typeof setTimeout> | undefined
  let inFlight: AbortController | undefined

  const now = (source: string) => {
    clearTimeout(timer)
    inFlight?.abort()
    const controller = new AbortController()
    inFlight = controller
    client.compile(source, { signal: controller.signal }).then(
      (compiled) => ({ _tag: "Compiled", source, compiled } as const),
      (error: unknown): CompileOutcome => {
        const diagnostics = diagnosticsOf(error)
        return diagnostics === undefined
          ? { _tag: "Unavailable", source, message: describeError(error), keyProblem: keyProblem(error) }
          : { _tag: "Invalid", source, diagnostics }
      }
    ).then((outcome) => {
      if (!controller.signal.aborted) onOutcome(outcome)
    })
  }

  return {
    now,
    schedule: (source) => {
      clearTimeout(timer)
      timer = setTimeout(() => now(source), delayMs)
    }
  }
}
