/**
 * The JSON bodies of the HTTP API: requests decoded with these Schemas
 * (nothing from the wire is trusted without them) and responses encoded
 * with them, by the server and by the clients alike. The OpenAPI document
 * is generated from the same Schemas.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DagSpec, ValueSchema } from "../lang/dag.js"
import { safeRecord } from "../lang/safeRecord.js"
import { BatchResult } from "../runtime/BatchResult.js"

/** A pipeline value on the wire (any JSON). */
export const WireValue = ValueSchema
const WireDag = DagSpec.annotations({
  jsonSchema: { type: "object", description: "The compiled DAG: data nodes, module nodes and edges (schema: DagSpec in src/lang/dag.ts)." }
})

/** The longest lease a request may ask for, in milliseconds (an hour; the execution's deadline bounds it too). */
export const MAX_LEASE_MS = 3_600_000

/** What happens to an execution when the connection that started it goes away. */
export const DisconnectPolicy = Schema.Literal("cancel", "continue")
export type DisconnectPolicy = typeof DisconnectPolicy.Type

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
  maxBuffered: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, MAX_BUFFERED_LIMIT)), { exact: true }),
  /**
   * What happens when the connection that started the execution goes away:
   * `cancel` stops it at once (the default of `POST /execute/stream` and the
   * WebSocket); `continue` lets it run on, readable at
   * `/executions/{id}/events`, until nobody has listened for `leaseMs` (the
   * default of `POST /executions`).
   */
  onDisconnect: Schema.optionalWith(DisconnectPolicy, { exact: true }),
  /** With `onDisconnect: "continue"`: how long the execution runs on with nobody listening, in milliseconds. */
  leaseMs: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, MAX_LEASE_MS)), { exact: true })
}

export const oneOfSourceOrRef = (r: { readonly source?: string; readonly ref?: string }): boolean | string =>
  (r.source === undefined) !== (r.ref === undefined) || "give exactly one of \"source\" (a pipeline) or \"ref\" (a hash from /compile)"

/** The fields of a request to run a pipeline, shared by HTTP bodies and WebSocket frames (`frames.ts`). */
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

/** `POST /compile`. */
export const CompileRequest = Schema.Struct({ source: Schema.String }).annotations({ identifier: "CompileRequest" })

/** `POST /compile`: the pipeline's ref and signature, its module calls and its DAG. */
export const CompileResponse = Schema.Struct({
  ref: Schema.String,
  /** Input name to type, in the language's spelling (`List<Int>`). */
  inputs: safeRecord(Schema.String),
  outputs: safeRecord(Schema.String),
  /** The module calls: `node` is the id that module events carry. */
  modules: Schema.Array(Schema.Struct({ node: Schema.Int, module: Schema.String, line: Schema.Int, column: Schema.Int })),
  dag: WireDag,
  /** Input name to its `@example(...)` value, for every input whose example is a literal. */
  examples: safeRecord(WireValue)
}).annotations({ identifier: "CompileResponse" })
export type CompileResponse = typeof CompileResponse.Type

/** `POST /execute`: every output that succeeded, the error of every one that did not, each output's status (the runtime's `BatchResult`). */
export const BatchResponse = BatchResult.annotations({ identifier: "BatchResponse" })
export type BatchResponse = typeof BatchResponse.Type

/** `GET /modules`. */
export const ModulesResponse = Schema.Struct({
  modules: Schema.Array(Schema.Struct({
    name: Schema.String,
    description: Schema.String,
    parameters: Schema.Array(Schema.Struct({
      name: Schema.String,
      type: Schema.String,
      /** Present when a call may leave the argument out: the value passed instead. */
      default: Schema.optionalWith(WireValue, { exact: true })
    })),
    result: Schema.String,
    /** `Uppercase(text: String): String`; a default shows as `decimals: Int = 2` */
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
