/**
 * Compile diagnostics as the server sends them in a `compile_error`
 * answer, read from the client's `RequestRejected` error; and the
 * diagnostic the editor shows, which may also point at other places
 * (the language server's related locations).
 */
import { Either, Schema } from "effect"
import { RequestRejected } from "../../client/ClientError.js"
import { DiagnosticWire } from "../../protocol/errors.js"

export type { DiagnosticWire }

/** Another place a diagnostic is about (1-based line and column), and what is there. */
export interface RelatedLocation {
  readonly line: number
  readonly column: number
  readonly message: string
}

/** A diagnostic as the editor shows it: the compiler's, with the places it relates to when the language server gave them. */
export type EditorDiagnostic = DiagnosticWire & { readonly related?: ReadonlyArray<RelatedLocation> }

const decodeDiagnostics = Schema.decodeUnknownEither(Schema.Array(DiagnosticWire))

/** The diagnostics of a failed compile, or undefined when the error is something else. */
export const diagnosticsOf = (error: unknown): ReadonlyArray<DiagnosticWire> | undefined => {
  if (!(error instanceof RequestRejected) || error.code !== "compile_error") return undefined
  const decoded = decodeDiagnostics(error.body["diagnostics"])
  return Either.isRight(decoded) ? decoded.right : undefined
}
