/**
 * The HTTP contract as an `HttpApi`: every endpoint with its request and
 * response Schemas (the same ones the handlers decode and encode with) and
 * its error statuses. It is the source of `/openapi.json` and the Swagger
 * UI at `/docs`; the handlers themselves are plain `HttpLayerRouter`
 * routes, because streaming, WebSocket upgrades, content negotiation and
 * the error envelope do not fit HttpApi's decode/encode pipeline.
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as OpenApi from "@effect/platform/OpenApi"
import { Schema } from "effect"
import {
  BatchResponse,
  CompileRequest,
  CompileResponse,
  ExamplesResponse,
  ExecuteRequest,
  HealthResponse,
  ModulesResponse,
  ReadyResponse
} from "../../protocol/api.js"
import { ErrorBody } from "../../protocol/errors.js"
import { ExecutionCreated, ExecutionList, ExecutionState } from "../../protocol/executions.js"
import { eventNames } from "../../protocol/events.js"

const error = (status: number, description: string) =>
  ErrorBody.annotations({ ...HttpApiSchema.annotations({ status }), description })

const BadRequest = error(400, "Malformed JSON, an invalid request, a compile error, invalid inputs or a DAG over the node limit.")
const NotFound = error(404, "The ref names no compiled pipeline.")
const TooLarge = error(413, "The body or the source is over its limit.")
const Unavailable = error(503, "Over capacity or shutting down; see Retry-After.")
const Unauthorized = error(401, "API keys are configured (API_KEYS) and the request sent none: `Authorization: Bearer <key>`.")
const Forbidden = error(403, "The API key is not valid, or a WebSocket comes from an origin CORS_ORIGINS does not allow.")
const UnsupportedMedia = error(415, "The body is not JSON (Content-Type: application/json).")

const EventStream = HttpApiSchema.Text({ contentType: "text/event-stream" }).annotations({
  description: `Server-Sent Events: ${eventNames.join(", ")}. See docs/http-api.md.`
})

const Prometheus = HttpApiSchema.Text({ contentType: "text/plain" }).annotations({ description: "Prometheus text format 0.0.4" })

/** A request to run a pipeline, and every way it can be refused before running. */
const runPipeline = <const Name extends string>(name: Name, path: "/execute" | "/execute/stream") =>
  HttpApiEndpoint.post(name, path)
    .setPayload(ExecuteRequest)
    .addError(BadRequest)
    .addError(NotFound)
    .addError(TooLarge)
    .addError(UnsupportedMedia)
    .addError(Unauthorized)
    .addError(Forbidden)
    .addError(Unavailable)

const execute = runPipeline("execute", "/execute")
  .addSuccess(BatchResponse)
  .annotate(OpenApi.Summary, "Run a pipeline and answer with every output")
  .annotate(
    OpenApi.Description,
    "With `Accept: text/event-stream` the answer is the event stream of `POST /execute/stream` instead."
  )

const executeStream = runPipeline("executeStream", "/execute/stream")
  .addSuccess(EventStream)
  .annotate(OpenApi.Summary, "Run a pipeline and stream each output the moment it is ready")

const executeWs = HttpApiEndpoint.get("executeWs", "/execute/ws")
  .addSuccess(Schema.Void.annotations(HttpApiSchema.annotations({ status: 101 })))
  .addError(error(426, "Not a WebSocket upgrade request."))
  .addError(Unauthorized)
  .addError(Forbidden)
  .annotate(OpenApi.Summary, "Run and cancel executions over a WebSocket")
  .annotate(
    OpenApi.Description,
    "Client text frames: `{\"type\": \"execute\", \"id\", \"source\" | \"ref\", \"inputs\", \"progress\"?}` and " +
      "`{\"type\": \"cancel\", \"id\"}`. Server frames: `{\"type\": <SSE event name>, \"id\": <client id>, ...the SSE data}`."
  )

const compile = HttpApiEndpoint.post("compile", "/compile")
  .setPayload(CompileRequest)
  .addSuccess(CompileResponse)
  .addError(BadRequest)
  .addError(TooLarge)
  .addError(UnsupportedMedia)
  .addError(Unauthorized)
  .addError(Forbidden)
  .annotate(OpenApi.Summary, "Compile a pipeline; its ref runs it later without recompiling")

export class ExecutionGroup extends HttpApiGroup.make("execution")
  .add(execute)
  .add(executeStream)
  .add(executeWs)
  .add(compile)
{}

const executionId = HttpApiSchema.param("id", Schema.String)
const Gone = error(410, "The execution ended and is no longer kept (EXECUTION_RETENTION_MS).")
const UnknownExecution = error(404, "No execution with that id is known here.")
const NoContent = Schema.Void.annotations(HttpApiSchema.annotations({ status: 204 }))
const Created = ExecutionCreated.annotations(HttpApiSchema.annotations({ status: 201 }))

const createExecution = HttpApiEndpoint.post("createExecution", "/executions")
  .setPayload(ExecuteRequest)
  .addSuccess(Created)
  .addError(BadRequest)
  .addError(NotFound)
  .addError(TooLarge)
  .addError(UnsupportedMedia)
  .addError(Unauthorized)
  .addError(Forbidden)
  .addError(Unavailable)
  .annotate(OpenApi.Summary, "Start an execution that outlives its connection; answers at once")
  .annotate(
    OpenApi.Description,
    "The execution runs on with nobody listening (onDisconnect defaults to `continue`) until its lease (`leaseMs`) runs out. " +
      "Follow it at `events` (with `?token=` when API keys are on, for an EventSource)."
  )

export class ExecutionsGroup extends HttpApiGroup.make("executions")
  .add(createExecution)
  .add(
    HttpApiEndpoint.get("listExecutions", "/executions")
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString), before: Schema.optional(Schema.String) }))
      .addSuccess(ExecutionList)
      .addError(BadRequest)
      .addError(Unauthorized)
      .addError(Forbidden)
      .annotate(OpenApi.Summary, "The kept executions, newest first (`limit` up to 500, `before` from `next`)")
  )
  .add(
    HttpApiEndpoint.get("executionState")`/executions/${executionId}`
      .addSuccess(ExecutionState)
      .addError(UnknownExecution)
      .addError(Gone)
      .addError(Unauthorized)
      .addError(Forbidden)
      .annotate(OpenApi.Summary, "An execution's state so far: outputs, errors, each output's status, timings")
  )
  .add(
    HttpApiEndpoint.del("cancelExecution")`/executions/${executionId}`
      .addSuccess(ExecutionState)
      .addError(UnknownExecution)
      .addError(Gone)
      .addError(Unauthorized)
      .addError(Forbidden)
      .annotate(OpenApi.Summary, "Stop an execution, keeping what was computed; every reader gets the final event")
  )
  .add(
    HttpApiEndpoint.post("cancelExecutionPost")`/executions/${executionId}/cancel`
      .addSuccess(ExecutionState)
      .addError(UnknownExecution)
      .addError(Gone)
      .addError(Unauthorized)
      .addError(Forbidden)
      .annotate(OpenApi.Summary, "The same as DELETE /executions/{id}, for clients that cannot send DELETE")
  )
  .add(
    HttpApiEndpoint.get("executionEvents")`/executions/${executionId}/events`
      .setUrlParams(Schema.Struct({ lastEventId: Schema.optional(Schema.String), token: Schema.optional(Schema.String) }))
      .addSuccess(EventStream.annotations({
        description: "Server-Sent Events with seq ids: a snapshot (without a position), or the events after Last-Event-ID, then the live tail. " +
          "See docs/http-api.md."
      }))
      .addSuccess(NoContent)
      .addError(UnknownExecution)
      .addError(Gone)
      .addError(Unauthorized)
      .addError(Forbidden)
      .annotate(OpenApi.Summary, "Follow, join or resume an execution's events (usable by a native EventSource)")
  )
{}

export class CatalogueGroup extends HttpApiGroup.make("catalogue")
  .add(
    HttpApiEndpoint.get("modules", "/modules").addSuccess(ModulesResponse).addError(Unauthorized).addError(Forbidden)
      .annotate(OpenApi.Summary, "The modules a pipeline may call")
  )
  .add(
    HttpApiEndpoint.get("examples", "/examples").addSuccess(ExamplesResponse).addError(Unauthorized).addError(Forbidden)
      .annotate(OpenApi.Summary, "The example pipelines")
  )
{}

export class OperationsGroup extends HttpApiGroup.make("operations")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(HealthResponse).annotate(OpenApi.Summary, "Liveness"))
  .add(
    HttpApiEndpoint.get("ready", "/health/ready")
      .addSuccess(ReadyResponse)
      .addError(Unavailable)
      .annotate(OpenApi.Summary, "Readiness: false once a shutdown has begun")
  )
  .add(
    HttpApiEndpoint.get("metrics", "/metrics").addSuccess(Prometheus).addError(Unauthorized).addError(Forbidden)
      .annotate(OpenApi.Summary, "Prometheus metrics")
  )
{}

const DECODE_ERROR_REF = "#/components/schemas/HttpApiDecodeError"

type Json = Record<string, unknown>
const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)
const isDecodeErrorRef = (u: unknown): boolean => isObject(u) && u["$ref"] === DECODE_ERROR_REF

/** A 400 response without HttpApi's decode error; undefined when nothing else is left. */
const cleanBadRequest = (response: unknown): unknown => {
  const media = isObject(response) && isObject(response["content"]) ? response["content"]["application/json"] : undefined
  const schema = isObject(media) ? media["schema"] : undefined
  if (isDecodeErrorRef(schema)) return undefined
  const anyOf = isObject(schema) && Array.isArray(schema["anyOf"]) ? schema["anyOf"].filter((s) => !isDecodeErrorRef(s)) : undefined
  const only = anyOf?.length === 1 ? anyOf[0] : undefined
  if (!isObject(only)) return response
  return { description: only["description"], content: { "application/json": { schema: only } } }
}

/** Drops HttpApi's own decode error from the document: these handlers answer with `ErrorBody` instead. */
const withoutDecodeError = (spec: Json): Json => {
  const paths = isObject(spec["paths"]) ? spec["paths"] : {}
  for (const operations of Object.values(paths)) {
    for (const operation of isObject(operations) ? Object.values(operations) : []) {
      const responses = isObject(operation) && isObject(operation["responses"]) ? operation["responses"] : undefined
      if (responses === undefined || responses["400"] === undefined) continue
      const cleaned = cleanBadRequest(responses["400"])
      if (cleaned === undefined) delete responses["400"]
      else responses["400"] = cleaned
    }
  }
  const schemas = isObject(spec["components"]) && isObject(spec["components"]["schemas"]) ? spec["components"]["schemas"] : {}
  for (const name of ["HttpApiDecodeError", "Issue", "PropertyKey"]) delete schemas[name]
  return spec
}

export class ConstellationApi extends HttpApi.make("constellation")
  .add(ExecutionGroup)
  .add(ExecutionsGroup)
  .add(CatalogueGroup)
  .add(OperationsGroup)
  .annotate(OpenApi.Title, "Constellation")
  .annotate(OpenApi.Description, "Run typed pipelines as a batch or as a stream of outputs, each sent the moment it is ready.")
  .annotate(OpenApi.Transform, withoutDecodeError)
{}

/** The OpenAPI document of the API. */
export const openApiDocument = (): OpenApi.OpenAPISpec => OpenApi.fromApi(ConstellationApi)
