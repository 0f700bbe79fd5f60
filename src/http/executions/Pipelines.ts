/**
 * Finding the pipeline a request names: compiling its source (within the
 * source and DAG size limits) or looking up a ref compiled earlier, with
 * compiler failures turned into HTTP errors.
 */
import { Context, Effect, Layer } from "effect"
import type { CompiledPipeline, CompileError } from "../../lang/CompiledPipeline.js"
import { Compiler } from "../../lang/Compiler.js"
import { CompileFailed, DagTooLarge, SourceTooLarge, UnknownRef } from "../HttpError.js"
import { diagnosticWire } from "../../protocol/errors.js"
import { Limits } from "../server/Limits.js"

export interface PipelinesShape {
  /** Compiles a source (cached by the compiler). */
  readonly compile: (source: string) => Effect.Effect<CompiledPipeline, CompileFailed | DagTooLarge | SourceTooLarge>
  /** The pipeline of a request: its `source` compiled, or its `ref` looked up. */
  readonly resolve: (
    request: { readonly source?: string; readonly ref?: string }
  ) => Effect.Effect<CompiledPipeline, CompileFailed | DagTooLarge | SourceTooLarge | UnknownRef>
}

export class Pipelines extends Context.Tag("@constellation/http/Pipelines")<Pipelines, PipelinesShape>() {}

/** A diagnostic as clients see it. */
export const compileFailed = (e: CompileError): CompileFailed => {
  const n = e.diagnostics.length
  return new CompileFailed({
    message: `The pipeline does not compile (${n} ${n === 1 ? "error" : "errors"}): ${e.message}`,
    diagnostics: e.diagnostics.map(diagnosticWire)
  })
}

const encoder = new TextEncoder()

export const make = Effect.gen(function*() {
  const compiler = yield* Compiler
  const limits = yield* Limits

  const compile: PipelinesShape["compile"] = (source) =>
    Effect.gen(function*() {
      // A UTF-8 byte is at least a UTF-16 unit's worth: only measure when it may be over.
      if (source.length * 3 > limits.maxSourceBytes && encoder.encode(source).byteLength > limits.maxSourceBytes) {
        return yield* new SourceTooLarge({
          message: `The pipeline source is larger than the limit of ${limits.maxSourceBytes} bytes.`,
          limit: limits.maxSourceBytes
        })
      }
      const pipeline = yield* Effect.mapError(compiler.compile(source), compileFailed)
      const nodes = pipeline.dag.data.length + pipeline.dag.modules.length
      if (nodes > limits.maxDagNodes) {
        return yield* new DagTooLarge({
          message: `The pipeline compiles to ${nodes} nodes, more than the limit of ${limits.maxDagNodes}.`,
          nodes,
          limit: limits.maxDagNodes
        })
      }
      return pipeline
    })

  const resolve: PipelinesShape["resolve"] = (request) =>
    request.source !== undefined
      ? compile(request.source)
      : Effect.mapError(
        compiler.lookup(request.ref ?? ""),
        (e) => {
          const ref = e.ref.length > 100 ? `${e.ref.slice(0, 100)}...` : e.ref
          return new UnknownRef({ message: `No compiled pipeline has the ref ${ref}: compile its source first (POST /compile).`, ref })
        }
      )

  return Pipelines.of({ compile, resolve })
})

export const layer: Layer.Layer<Pipelines, never, Compiler | Limits> = Layer.effect(Pipelines, make)
