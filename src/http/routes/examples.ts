/**
 * `GET /examples`: the example pipelines, with their sources and refs.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import type { ExamplesResponse } from "../../protocol/api.js"
import { Examples } from "../executions/Examples.js"

export const routes = Effect.gen(function*() {
  const body: ExamplesResponse = { examples: yield* Examples }
  const response = HttpServerResponse.unsafeJson(body)
  return [HttpLayerRouter.route("GET", "/examples", Effect.succeed(response))] as const
})
