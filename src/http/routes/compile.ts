/**
 * `POST /compile`: a pipeline's ref (to run it later without recompiling),
 * its typed inputs and outputs, its module calls, its DAG, and the
 * `@example` value of each input that has a literal one.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import type { CompiledPipeline } from "../../lang/CompiledPipeline.js"
import { exampleInputs } from "../../lang/exampleInputs.js"
import { printType } from "../../lang/types.js"
import { CompileRequest } from "../../protocol/api.js"
import type { CompileResponse } from "../../protocol/api.js"
import { jsonBody } from "./requestBody.js"
import { Limits } from "../server/Limits.js"
import { Pipelines } from "../executions/Pipelines.js"
import { respond } from "./respond.js"

/** What `POST /compile` says about a pipeline. */
export const describePipeline = (pipeline: CompiledPipeline, source: string): CompileResponse => ({
  ref: pipeline.ref,
  inputs: Object.fromEntries(pipeline.dag.inputs.map((b) => [b.name, printType(b.type)])),
  outputs: Object.fromEntries(pipeline.dag.outputs.map((b) => [b.name, printType(b.type)])),
  modules: pipeline.dag.modules.map((m) => ({ node: m.id, module: m.module, line: m.line, column: m.column })),
  dag: pipeline.dag,
  examples: Object.fromEntries(exampleInputs(source))
})

export const routes = Effect.gen(function*() {
  const pipelines = yield* Pipelines
  const readRequest = jsonBody(CompileRequest, (yield* Limits).maxBodyBytes)
  return [
    HttpLayerRouter.route(
      "POST",
      "/compile",
      respond(Effect.gen(function*() {
        const { source } = yield* readRequest
        const pipeline = yield* pipelines.compileShared(source)
        return HttpServerResponse.unsafeJson(describePipeline(pipeline, source))
      }))
    )
  ] as const
})
