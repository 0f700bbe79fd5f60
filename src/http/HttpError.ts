/**
 * Every error the HTTP service answers with. Each is a `Schema.TaggedError`
 * with its HTTP status and a stable code; `toBody` turns any of them into
 * the wire form `{"error": "<code>", "message": "...", ...details}`.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Schema } from "effect"

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

export class MalformedJson extends Schema.TaggedError<MalformedJson>()("MalformedJson", { message: Schema.String }) {
  get status(): number { return 400 }
  get code(): string { return "malformed_json" }
}

export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  message: Schema.String,
  issues: Schema.Array(RequestIssue)
}) {
  get status(): number { return 400 }
  get code(): string { return "invalid_request" }
}

export class InvalidInputs extends Schema.TaggedError<InvalidInputs>()("InvalidInputs", {
  message: Schema.String,
  issues: Schema.Array(InputIssue)
}) {
  get status(): number { return 400 }
  get code(): string { return "invalid_inputs" }
}

export class CompileFailed extends Schema.TaggedError<CompileFailed>()("CompileFailed", {
  message: Schema.String,
  diagnostics: Schema.Array(DiagnosticWire)
}) {
  get status(): number { return 400 }
  get code(): string { return "compile_error" }
}

export class DagTooLarge extends Schema.TaggedError<DagTooLarge>()("DagTooLarge", {
  message: Schema.String,
  nodes: Schema.Int,
  limit: Schema.Int
}) {
  get status(): number { return 400 }
  get code(): string { return "dag_too_large" }
}

/** A request without an API key, when the server requires one. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", { message: Schema.String }) {
  get status(): number { return 401 }
  get code(): string { return "unauthorized" }
}

/** A request with a key that is not one of the server's, or a WebSocket from an origin not allowed. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", { message: Schema.String }) {
  get status(): number { return 403 }
  get code(): string { return "forbidden" }
}

export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", { message: Schema.String, path: Schema.String }) {
  get status(): number { return 404 }
  get code(): string { return "not_found" }
}

export class UnknownRef extends Schema.TaggedError<UnknownRef>()("UnknownRef", { message: Schema.String, ref: Schema.String }) {
  get status(): number { return 404 }
  get code(): string { return "unknown_ref" }
}

/** A WebSocket `cancel` names no running execution of that socket. */
export class UnknownExecution extends Schema.TaggedError<UnknownExecution>()("UnknownExecution", {
  message: Schema.String,
  id: Schema.String
}) {
  get status(): number { return 404 }
  get code(): string { return "unknown_execution" }
}

/** A WebSocket `execute` reuses the id of an execution still running on that socket. */
export class DuplicateExecutionId extends Schema.TaggedError<DuplicateExecutionId>()("DuplicateExecutionId", {
  message: Schema.String,
  id: Schema.String
}) {
  get status(): number { return 409 }
  get code(): string { return "duplicate_id" }
}

export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()("MethodNotAllowed", {
  message: Schema.String,
  allowed: Schema.Array(Schema.String)
}) {
  get status(): number { return 405 }
  get code(): string { return "method_not_allowed" }
}

export class BodyTooLarge extends Schema.TaggedError<BodyTooLarge>()("BodyTooLarge", {
  message: Schema.String,
  limit: Schema.Int
}) {
  get status(): number { return 413 }
  get code(): string { return "body_too_large" }
}

export class SourceTooLarge extends Schema.TaggedError<SourceTooLarge>()("SourceTooLarge", {
  message: Schema.String,
  limit: Schema.Int
}) {
  get status(): number { return 413 }
  get code(): string { return "source_too_large" }
}

/** A body sent with a content type other than JSON. */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  message: Schema.String,
  contentType: Schema.String
}) {
  get status(): number { return 415 }
  get code(): string { return "unsupported_media_type" }
}

export class UpgradeRequired extends Schema.TaggedError<UpgradeRequired>()("UpgradeRequired", { message: Schema.String }) {
  get status(): number { return 426 }
  get code(): string { return "upgrade_required" }
}

export class OverCapacity extends Schema.TaggedError<OverCapacity>()("OverCapacity", {
  message: Schema.String,
  retryAfterSeconds: Schema.Int
}) {
  get status(): number { return 503 }
  get code(): string { return "over_capacity" }
}

export class ShuttingDown extends Schema.TaggedError<ShuttingDown>()("ShuttingDown", {
  message: Schema.String,
  retryAfterSeconds: Schema.Int
}) {
  get status(): number { return 503 }
  get code(): string { return "shutting_down" }
}

export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", { message: Schema.String }) {
  get status(): number { return 500 }
  get code(): string { return "internal_error" }
}

export const HttpError = Schema.Union(
  MalformedJson,
  InvalidRequest,
  InvalidInputs,
  CompileFailed,
  DagTooLarge,
  Unauthorized,
  Forbidden,
  NotFound,
  UnknownRef,
  UnknownExecution,
  DuplicateExecutionId,
  MethodNotAllowed,
  BodyTooLarge,
  SourceTooLarge,
  UnsupportedMediaType,
  UpgradeRequired,
  OverCapacity,
  ShuttingDown,
  InternalError
)
export type HttpError = typeof HttpError.Type

/** The errors a request to run a pipeline may fail with before anything runs. */
export type ExecuteError =
  | CompileFailed
  | DagTooLarge
  | UnknownRef
  | SourceTooLarge
  | InvalidInputs
  | OverCapacity
  | ShuttingDown

const encode = Schema.encodeSync(HttpError)

export const isHttpError = Schema.is(HttpError)

/** The JSON body of an error: `{"error": code, "message", ...details}`. */
export const toBody = (error: HttpError): Record<string, unknown> => {
  const { _tag: _, ...details } = encode(error)
  return { error: error.code, ...details }
}

/** The headers an error adds to its response: `Retry-After` when a retry may succeed, `Allow` for a wrong method. */
export const headersOf = (error: HttpError): Record<string, string> => {
  switch (error._tag) {
    case "OverCapacity":
    case "ShuttingDown":
      return { "retry-after": String(error.retryAfterSeconds) }
    case "MethodNotAllowed":
      return { allow: error.allowed.join(", ") }
    case "UpgradeRequired":
      return { upgrade: "websocket" }
    case "Unauthorized":
      return { "www-authenticate": "Bearer realm=\"constellation\"" }
    default:
      return {}
  }
}

/** The response of an error; `requestId`, when known, is added to the body. */
export const toResponse = (error: HttpError, requestId?: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(requestId === undefined ? toBody(error) : { ...toBody(error), requestId }, {
    status: error.status,
    headers: headersOf(error)
  })
