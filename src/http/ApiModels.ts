/**
 * The JSON bodies of the HTTP API: requests decoded with these Schemas
 * (nothing from the wire is trusted without them) and responses encoded
 * with them. The OpenAPI document is generated from the same Schemas.
 */
import { Schema } from "effect"
import { DagSpec, ValueSchema } from "../lang/dag.js"
import { OutputStatus } from "../runtime/BatchResult.js"
import { ErrorInfo } from "../runtime/ExecutionEvent.js"

/**
 * A pipeline value on the wire (any JSON). The language's recursive value
 * and DAG Schemas are decoded as they are, and documented as plain JSON.
 */
export const WireValue = ValueSchema.annotations({
  jsonSchema: {
    description: "A pipeline value, as JSON.",
    anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }, { type: "array" }, { type: "object" }]
  }
})
const WireDag = DagSpec.annotations({
  jsonSchema: { type: "object", description: "The compiled DAG: data nodes, module nodes and edges (schema: DagSpec in src/lang/dag.ts)." }
})

/** The most events a request may ask to buffer for a slow consumer. */
export const MAX_BUFFERED_LIMIT = 10_000

const runOptions = {
  /** The pipeline's inputs, one field per declared input. */
  inputs: Schema.optionalWith(Schema.Unknown, { default: () => ({}) }),
  /** Also stream module and progress events. */
  progress: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Ends the execution after this many milliseconds; only lowers the server's deadline. */
  deadlineMs: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { exact: true }),
  /** How many events may wait for a slow consumer before the execution waits. */
  maxBuffered: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, MAX_BUFFERED_LIMIT)), { exact: true })
}

const oneOfSourceOrRef = (r: { readonly source?: string; readonly ref?: string }): boolean | string =>
  (r.source === undefined) !== (r.ref === undefined) || "give exactly one of \"source\" (a pipeline) or \"ref\" (a hash from /compile)"

/** The fields of a request to run a pipeline, shared by HTTP bodies and WebSocket frames. */
export const executeFields = {
  /** The pipeline's constellation-lang source. */
  source: Schema.optionalWith(Schema.String, { exact: true }),
  /** The `ref` of a pipeline compiled earlier by `POST /compile`. */
  ref: Schema.optionalWith(Schema.String, { exact: true }),
  ...runOptions
}

/** `POST /execute`, `POST /execute/stream`: a pipeline by source or by ref, and its inputs. */
export const ExecuteRequest = Schema.Struct(executeFields).pipe(
  Schema.filter((r) => oneOfSourceOrRef(r)),
  Schema.annotations({ identifier: "ExecuteRequest" })
)
export type ExecuteRequest = typeof ExecuteRequest.Type

/** A client's name for one of its WebSocket executions. */
export const ClientId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))

/** WebSocket `{"type": "execute", "id", ...}`: `type` may be left out; `id` defaults to the execution id. */
export const WsExecuteFrame = Schema.Struct({
  type: Schema.optionalWith(Schema.Literal("execute"), { exact: true }),
  id: Schema.optionalWith(ClientId, { exact: true }),
  ...executeFields
}).pipe(Schema.filter((r) => oneOfSourceOrRef(r)), Schema.annotations({ identifier: "WsExecuteFrame" }))
export type WsExecuteFrame = typeof WsExecuteFrame.Type

/** WebSocket `{"type": "cancel", "id"}`. */
export const WsCancelFrame = Schema.Struct({ type: Schema.Literal("cancel"), id: ClientId }).annotations({
  identifier: "WsCancelFrame"
})

/** `POST /compile`. */
export const CompileRequest = Schema.Struct({ source: Schema.String }).annotations({ identifier: "CompileRequest" })

/** `POST /compile`: the pipeline's ref and signature, its module calls and its DAG. */
export const CompileResponse = Schema.Struct({
  ref: Schema.String,
  /** Input name to type, in the language's spelling (`List<Int>`). */
  inputs: Schema.Record({ key: Schema.String, value: Schema.String }),
  outputs: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** The module calls: `node` is the id that module events carry. */
  modules: Schema.Array(Schema.Struct({ node: Schema.Int, module: Schema.String, line: Schema.Int, column: Schema.Int })),
  dag: WireDag
}).annotations({ identifier: "CompileResponse" })
export type CompileResponse = typeof CompileResponse.Type

/** `POST /execute`: every output that succeeded and the error of every one that did not. */
export const BatchResponse = Schema.Struct({
  executionId: Schema.String,
  /** `completed`: every output succeeded; `partial`: some did; `failed`: none did. */
  status: Schema.Literal("completed", "partial", "failed"),
  outputs: Schema.Record({ key: Schema.String, value: WireValue }),
  errors: Schema.Record({ key: Schema.String, value: ErrorInfo }),
  /** Per declared output: `succeeded`, `fallback` (a fallback value was used), `failed`, or `missing` (the execution ended first). */
  outputStatus: Schema.optional(Schema.Record({ key: Schema.String, value: OutputStatus })),
  durationMs: Schema.Number
}).annotations({ identifier: "BatchResponse" })
export type BatchResponse = typeof BatchResponse.Type

/** `GET /modules`. */
export const ModulesResponse = Schema.Struct({
  modules: Schema.Array(Schema.Struct({
    name: Schema.String,
    description: Schema.String,
    parameters: Schema.Array(Schema.Struct({ name: Schema.String, type: Schema.String })),
    result: Schema.String,
    /** `Uppercase(text: String): String` */
    signature: Schema.String
  }))
}).annotations({ identifier: "ModulesResponse" })
export type ModulesResponse = typeof ModulesResponse.Type

/** `GET /examples`: the example pipelines, with the ref of each one that compiles. */
export const ExamplesResponse = Schema.Struct({
  examples: Schema.Array(Schema.Struct({ name: Schema.String, source: Schema.String, ref: Schema.optional(Schema.String) }))
}).annotations({ identifier: "ExamplesResponse" })
export type ExamplesResponse = typeof ExamplesResponse.Type

/** `GET /health`: the process is alive. */
export const HealthResponse = Schema.Struct({ status: Schema.Literal("ok") }).annotations({ identifier: "HealthResponse" })

/** `GET /health/ready`: the server accepts executions. */
export const ReadyResponse = Schema.Struct({
  status: Schema.Literal("ready"),
  activeExecutions: Schema.Int
}).annotations({ identifier: "ReadyResponse" })

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
