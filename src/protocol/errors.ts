/**
 * How failures look on the wire: the body of every error answer, the
 * problems it may list (request fields, inputs, compile diagnostics), and
 * the error of a failed output or execution inside events (`ErrorInfo`).
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import type { Diagnostic } from "../lang/diagnostic.js"

export { ErrorInfo } from "../runtime/ExecutionEvent.js"

/** One problem with a request body: where (`inputs.user.age`) and what. */
export const RequestIssue = Schema.Struct({ path: Schema.String, message: Schema.String })

/** One problem with a run's inputs, in the language's spelling (see `ValueIssue`). */
export const InputIssue = Schema.Struct({
  path: Schema.String,
  expected: Schema.String,
  got: Schema.String,
  message: Schema.String
})

/** A compile diagnostic as sent to clients. */
export const DiagnosticWire = Schema.Struct({
  code: Schema.String,
  name: Schema.String,
  message: Schema.String,
  line: Schema.Int,
  column: Schema.Int,
  endLine: Schema.Int,
  endColumn: Schema.Int,
  hint: Schema.optional(Schema.String)
})
export type DiagnosticWire = typeof DiagnosticWire.Type

/** The body of every error response. */
export const ErrorBody = Schema.Struct(
  {
    /** A stable code: `malformed_json`, `compile_error`, `over_capacity` ... */
    error: Schema.String,
    /** For a person. */
    message: Schema.String,
    /** The request's `X-Request-ID`. */
    requestId: Schema.optional(Schema.String)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
).annotations({ identifier: "ErrorBody" })
export type ErrorBody = typeof ErrorBody.Type

/** A compiler diagnostic as it goes on the wire. */
export const diagnosticWire = (d: Diagnostic): DiagnosticWire => ({
  code: d.code,
  name: d.name,
  message: d.message,
  line: d.line,
  column: d.column,
  endLine: d.span.end.line,
  endColumn: d.span.end.column,
  ...(d.hint === undefined ? {} : { hint: d.hint })
})
