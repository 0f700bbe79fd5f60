/**
 * Executions.prepare/start and the service's lifetime: started executions are the
 * service's fibers; closing the service interrupts them (every module) and
 * frees their admission slots; a start after that runs nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Scope, TestClock } from "effect"
import type { ExecutionEvent } from "../../../src/runtime/ExecutionEvent.js"
import { Engine } from "../../../src/runtime/Engine.js"
import { Admission } from "../../../src/http/executions/Admission.js"
import { Executions } from "../../../src/http/executions/Executions.js"
import type { ExecutionsShape } from "../../../src/http/executions/Executions.js"
import * as Limits from "../../../src/http/server/Limits.js"
import * as ServerConfig from "../../../src/http/server/ServerConfig.js"
import { servicesLayer } from "../../../src/http/server/server.js"
import type { ExecuteRequest } from "../../../src/protocol/api.js"

const slow: ExecuteRequest = {
  source: "in text: String\nquick = Delay(text, 1)\nslow = Delay(text, 60000)\nout quick\nout slow",
  inputs: { text: "x" },
  progress: false
}

/** Prepares `request`, reads its log into `events`, starts it. */
const launch = (executions: ExecutionsShape, request: ExecuteRequest, events: Array<ExecutionEvent>) =>
  Effect.map(executions.prepare(request, "stream"), (handle) => {
    handle.log.read({ write: (e) => void events.push(e), hasRoom: () => true, onRoom: () => () => {} }, { holdsExecution: true })
    return handle.start()
  })

const layer = servicesLayer.pipe(Layer.provide(Layer.merge(Limits.layerWith(), ServerConfig.layerWith())))

describe("Executions.launch", () => {
  it.effect("closing the service interrupts launched executions and frees their slots; a later launch runs nothing", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(layer, scope)
      const executions = Context.get(context, Executions)
      const admission = Context.get(context, Admission)
      const engine = Context.get(context, Engine)

      const events: Array<ExecutionEvent> = []
      const fibers = yield* Effect.forEach([1, 2, 3], () => launch(executions, slow, events))
      // Each has sent its quick output and waits on its slow module.
      yield* TestClock.adjust("100 millis")
      expect(events.filter((e) => e._tag === "Output")).toHaveLength(3)
      expect(yield* admission.active).toBe(3)
      expect(engine.stats().runningModules).toBe(3)

      yield* Scope.close(scope, Exit.void)
      for (const f of fibers) expect(f.unsafePoll()?._tag).toBe("Failure")
      expect(engine.stats()).toMatchObject({ runningModules: 0, activeExecutions: 0 })
      expect(yield* admission.active).toBe(0)

      const late = yield* launch(executions, slow, events)
      yield* TestClock.adjust("20 millis")
      expect(late.unsafePoll()?._tag).toBe("Failure")
      expect(yield* admission.active).toBe(0)
      expect(engine.stats().executionsStarted).toBe(3)
    }))
})
