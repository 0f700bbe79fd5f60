/**
 * Test support for the runtime: probe modules that record what ran, when,
 * and what was interrupted, and a layer with the engine over them.
 */
import { Clock, Effect, Either, Layer, Schema } from "effect"
import { compile } from "../../src/lang/compileSource.js"
import type { CompiledPipeline } from "../../src/lang/CompiledPipeline.js"
import * as Module from "../../src/modules/Module.js"
import { ModuleError } from "../../src/modules/ModuleError.js"
import { makeRegistry, ModuleRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import * as Engine from "../../src/runtime/Engine.js"
import * as Scheduler from "../../src/runtime/Scheduler.js"

export interface Probe {
  running: number
  maxRunning: number
  readonly started: Array<string>
  readonly finished: Array<string>
  readonly interrupted: Array<string>
  readonly attempts: Array<number>
}

export const makeProbe = (): Probe => ({ running: 0, maxRunning: 0, started: [], finished: [], interrupted: [], attempts: [] })

const tracked = <A, E>(probe: Probe, label: string, body: Effect.Effect<A, E>) =>
  Effect.suspend(() => {
    probe.running++
    probe.maxRunning = Math.max(probe.maxRunning, probe.running)
    probe.started.push(label)
    return body
  }).pipe(
    Effect.tap(() => Effect.sync(() => probe.finished.push(label))),
    Effect.onInterrupt(() => Effect.sync(() => probe.interrupted.push(label))),
    Effect.ensuring(Effect.sync(() => void probe.running--))
  )

/** Probe modules: `Work(label, ms)` sleeps then returns its label; `Fail(label, ms)` sleeps then fails; `Flaky(label, failures)` fails its first `failures` attempts. */
export const probeModules = (probe: Probe) => [
  Module.make({
    name: "Work",
    description: "Sleeps `ms`, then returns `label`.",
    params: { label: Schema.String, ms: Schema.Int },
    result: Schema.String,
    run: ({ label, ms }) => tracked(probe, label, Effect.as(Effect.sleep(ms), label))
  }),
  Module.make({
    name: "Fail",
    description: "Sleeps `ms`, then fails with code `boom`.",
    params: { label: Schema.String, ms: Schema.Int },
    result: Schema.String,
    run: ({ label, ms }) =>
      tracked(probe, label, Effect.zipRight(Effect.sleep(ms), Effect.fail(new ModuleError({ code: "boom", message: `${label} failed` }))))
  }),
  Module.make({
    name: "Flaky",
    description: "Fails its first `failures` attempts, recording the time of each attempt.",
    params: { label: Schema.String, failures: Schema.Int },
    result: Schema.String,
    run: ({ label, failures }) =>
      Effect.gen(function*() {
        probe.attempts.push(yield* Clock.currentTimeMillis)
        if (probe.attempts.length <= failures) return yield* new ModuleError({ code: "flaky", message: `${label} attempt failed` })
        return label
      })
  }),
  Module.make({
    name: "Crash",
    description: "Dies with a defect.",
    params: { label: Schema.String },
    result: Schema.String,
    run: ({ label }) => Effect.die(new Error(`secret internal detail of ${label}`))
  })
]

/** The engine over the standard library and the probe modules. */
export const engineLayer = (probe: Probe, maxConcurrentModules = 1024) => {
  const registry = makeRegistry([...makeStdlib(), ...probeModules(probe)])
  return {
    registry,
    layer: Engine.layer.pipe(
      Layer.provideMerge(Scheduler.layerWith(maxConcurrentModules)),
      Layer.provideMerge(Layer.succeed(ModuleRegistry, registry))
    ),
    compile: (source: string): CompiledPipeline => {
      const r = compile(source, registry)
      if (Either.isLeft(r)) throw new Error(`test pipeline does not compile: ${r.left.message}`)
      return r.right
    }
  }
}
