/**
 * `GET /modules`: every module a pipeline may call, with its signature
 * and the defaults of its parameters.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { printType } from "../../lang/types.js"
import { ModuleRegistry, signature } from "../../modules/ModuleRegistry.js"
import type { ModulesResponse } from "../../protocol/api.js"

export const routes = Effect.gen(function*() {
  const registry = yield* ModuleRegistry
  const body: ModulesResponse = {
    modules: registry.list().map((m) => ({
      name: m.name,
      description: m.description,
      parameters: m.params.map((p) => ({ name: p.name, type: printType(p.type), ...(p.default === undefined ? {} : { default: p.default }) })),
      result: printType(m.result),
      signature: signature(m)
    }))
  }
  const response = HttpServerResponse.unsafeJson(body)
  return [HttpLayerRouter.route("GET", "/modules", Effect.succeed(response))] as const
})
