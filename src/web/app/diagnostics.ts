/**
 * Compile diagnostics as the server sends them in a `compile_error`
 * answer, read from the client's `RequestRejected` error.
 */
import { Either, Schema } from "effect"
import { RequestRejected } from "../../client/ClientError.js"
import { DiagnosticWire } from "../../protocol/errors.js"

export type { DiagnosticWire }

const decodeDiagnostics = Schema.decodeUnknownEither(Schema.Array(DiagnosticWire))

/** The diagnostics of a failed compile, or undefined when the error is something else. */
export const diagnosticsOf = (error: unknown): ReadonlyArray<DiagnosticWire> | undefined => {
  if (!(error instanceof RequestRejected) || error.code !== "compile_error") return undefined
  const decoded = decodeDiagnostics(error.body["diagnostics"])
  return Either.isRight(decoded) ? decoded.right : undefined
}
