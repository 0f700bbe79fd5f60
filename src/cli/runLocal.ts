/**
 * `constellation run` in this process: the pipeline compiled and run by the
 * library's own engine, with the standard library.
 */
import { Effect, Stream } from "effect"
import { diagnosticWire } from "../protocol/errors.js"
import { Compiler } from "../lang/Compiler.js"
import { printType } from "../lang/types.js"
import { Engine } from "../runtime/Engine.js"
import { usage } from "./CliFailure.js"
import type { CliFailure } from "./CliFailure.js"
import { formatDiagnostics } from "./formatDiagnostic.js"
import { asStreamEvent, inputsOf } from "./RunSpec.js"
import type { RunEvents, RunSpec } from "./RunSpec.js"
import { Terminal } from "./Terminal.js"

/** Compiles the pipeline and checks its inputs; the events start when pulled. */
export const runLocal = (spec: RunSpec): Effect.Effect<RunEvents, CliFailure, Compiler | Engine | Terminal> =>
  Effect.gen(function*() {
    const compiler = yield* Compiler
    const engine = yield* Engine
    const { style } = yield* Terminal
    const pipeline = yield* compiler.compile(spec.source).pipe(
      Effect.mapError((e) => usage(formatDiagnostics(spec.file, spec.source, e.diagnostics.map(diagnosticWire), style)))
    )
    const types = Object.fromEntries(pipeline.dag.inputs.map((b) => [b.name, printType(b.type)]))
    const inputs = yield* inputsOf(spec, types)
    const events = yield* engine.runStreaming(pipeline, inputs, { progress: spec.progress }).pipe(
      Effect.mapError((e) => usage(`The inputs do not fit ${spec.file}: ${e.message}`))
    )
    return Stream.mapEffect(events, asStreamEvent)
  })
