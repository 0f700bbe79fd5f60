/**
 * Every error the HTTP service answers with. Each is a `Schema.TaggedError`;
 * its HTTP status and stable code come from one table (`statusOf`,
 * `codeOf`); `toBody` turns any of them into
 * the wire form `{"error": "<code>", "message": "...", ...details}`.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Schema } from "effect"
import { DiagnosticWire, InputIssue, RequestIssue } from "../protocol/errors.js"

export class MalformedJson extends Schema.TaggedError<MalformedJson>()("MalformedJson", { message: Schema.String }) {}

export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  message: Schema.String,
  issues: Schema.Array(RequestIssue)
}) {}

export class InvalidInputs extends Schema.TaggedError<InvalidInputs>()("InvalidInputs", {
  message: Schema.String,
  issues: Schema.Array(InputIssue)
}) {}

export class CompileFailed extends Schema.TaggedError<CompileFailed>()("CompileFailed", {
  message: Schema.String,
  diagnostics: Schema.Array(DiagnosticWire)
}) {}

export class DagTooLarge extends Schema.TaggedError<DagTooLarge>()("DagTooLarge", {
  message: Schema.String,
  nodes: Schema.Int,
  limit: Schema.Int
}) {}

/** A request without an API key, when the server requires one. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", { message: Schema.String }) {}

/** A request with a key that is not one of the server's, or a WebSocket from an origin not allowed. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", { message: Schema.String }) {}

export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", { message: Schema.String, path: Schema.String }) {}

export class UnknownRef extends Schema.TaggedError<UnknownRef>()("UnknownRef", { message: Schema.String, ref: Schema.String }) {}

/** A WebSocket `cancel` names no running execution of that socket. */
export class UnknownExecution extends Schema.TaggedError<UnknownExecution>()("UnknownExecution", {
  message: Schema.String,
  id: Schema.String
}) {}

/** An execution that was kept readable and no longer is (its retention ended). */
export class ExecutionExpired extends Schema.TaggedError<ExecutionExpired>()("ExecutionExpired", {
  message: Schema.String,
  id: Schema.String
}) {}

/** A WebSocket `execute` reuses the id of an execution still running on that socket. */
export class DuplicateExecutionId extends Schema.TaggedError<DuplicateExecutionId>()("DuplicateExecutionId", {
  message: Schema.String,
  id: Schema.String
}) {}

export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()("MethodNotAllowed", {
  message: Schema.String,
  allowed: Schema.Array(Schema.String)
}) {}

export class BodyTooLarge extends Schema.TaggedError<BodyTooLarge>()("BodyTooLarge", {
  message: Schema.String,
  limit: Schema.Int
}) {}

export class SourceTooLarge extends Schema.TaggedError<SourceTooLarge>()("SourceTooLarge", {
  message: Schema.String,
  limit: Schema.Int
}) {}

/** A body sent with a content type other than JSON. */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  message: Schema.String,
  contentType: Schema.String
}) {}

export class UpgradeRequired extends Schema.TaggedError<UpgradeRequired>()("UpgradeRequired", { message: Schema.String }) {}

export class OverCapacity extends Schema.TaggedError<OverCapacity>()("OverCapacity", {
  message: Schema.String,
  retryAfterSeconds: Schema.Int
}) {}

export class ShuttingDown extends Schema.TaggedError<ShuttingDown>()("ShuttingDown", {
  message: Schema.String,
  retryAfterSeconds: Schema.Int
}) {}

/** The shared store (Redis) cannot be reached: nothing new is started until it can. */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  message: Schema.String,
  retryAfterSeconds: Schema.Int
}) {}

export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", { message: Schema.String }) {}

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
  ExecutionExpired,
  DuplicateExecutionId,
  MethodNotAllowed,
  BodyTooLarge,
  SourceTooLarge,
  UnsupportedMediaType,
  UpgradeRequired,
  OverCapacity,
  ShuttingDown,
  StoreUnavailable,
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
  | StoreUnavailable

/** Each error's HTTP status and stable code, in one table. */
const answers: { readonly [T in HttpError["_tag"]]: readonly [status: number, code: string] } = {
  MalformedJson: [400, "malformed_json"],
  InvalidRequest: [400, "invalid_request"],
  InvalidInputs: [400, "invalid_inputs"],
  CompileFailed: [400, "compile_error"],
  DagTooLarge: [400, "dag_too_large"],
  Unauthorized: [401, "unauthorized"],
  Forbidden: [403, "forbidden"],
  NotFound: [404, "not_found"],
  UnknownRef: [404, "unknown_ref"],
  UnknownExecution: [404, "unknown_execution"],
  ExecutionExpired: [410, "execution_expired"],
  DuplicateExecutionId: [409, "duplicate_id"],
  MethodNotAllowed: [405, "method_not_allowed"],
  BodyTooLarge: [413, "body_too_large"],
  SourceTooLarge: [413, "source_too_large"],
  UnsupportedMediaType: [415, "unsupported_media_type"],
  UpgradeRequired: [426, "upgrade_required"],
  OverCapacity: [503, "over_capacity"],
  ShuttingDown: [503, "shutting_down"],
  StoreUnavailable: [503, "store_unavailable"],
  InternalError: [500, "internal_error"]
}

/** The HTTP status an error is answered with. */
export const statusOf = (error: HttpError): number => answers[error._tag][0]

/** The stable code of an error (`malformed_json`, `over_capacity` ...): the body's `error` field. */
export const codeOf = (error: HttpError): string => answers[error._tag][1]

const encode = Schema.encodeSync(HttpError)

export const isHttpError = Schema.is(HttpError)

/** The JSON body of an error: `{"error": code, "message", ...details}`. */
export const toBody = (error: HttpError): { readonly error: string; readonly message: string; readonly [detail: string]: unknown } => {
  const { _tag: _, ...details } = encode(error)
  return { error: codeOf(error), ...details }
}

/** The headers an error adds to its response: `Retry-After` when a retry may succeed, `Allow` for a wrong method. */
export const headersOf = (error: HttpError): Record<string, string> => {
  switch (error._tag) {
    case "OverCapacity":
    case "ShuttingDown":
    case "StoreUnavailable":
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
    status: statusOf(error),
    headers: headersOf(error)
  })
