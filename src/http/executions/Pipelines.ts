/**
 * Finding the pipeline a request names: compiling its source (within the
 * source and DAG size limits) or looking up a ref compiled earlier, with
 * compiler failures turned into HTTP errors.
 */
import { Context, Effect, Layer } from "effect"
import type { CompiledPipeline, CompileError } from "../../lang/CompiledPipeline.js"
import { Compiler } from "../../lang/Compiler.js"
import { CompileFailed, DagTooLarge, SourceTooLarge, UnknownRef } from "../HttpError.js"
import type { StoreUnavailable } from "../HttpError.js"
import { Cluster } from "../cluster/Cluster.js"
import { diagnosticWire } from "../../protocol/errors.js"
import { Limits } from "../server/Limits.js"

export interface PipelinesShape {
  /** Compiles a source (cached by the compiler). */
  readonly compile: (source: string) => Effect.Effect<CompiledPipeline, CompileFailed | DagTooLarge | SourceTooLarge>
  /**
   * The pipeline of a request: its `source` compiled, or its `ref` looked
   * up (compiled here, or on another instance sharing the store: its source
   * is compiled here then).
   */
  readonly resolve: (
    request: { readonly source?: string; readonly ref?: string }
  ) => Effect.Effect<CompiledPipeline, CompileFailed | DagTooLarge | SourceTooLarge | UnknownRef | StoreUnavailable>
  /** Compiles a source and keeps it in the store, so every instance can run its ref (`POST /compile`). */
  readonly compileShared: (source: string) => Effect.Effect<CompiledPipeline, CompileFailed | DagTooLarge | SourceTooLarge | StoreUnavailable>
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
  const cluster = yield* Cluster

  /** The compiled pipeline, or why it may not run here: too many nodes. */
  const withinLimits = (pipeline: CompiledPipeline): Effect.Effect<CompiledPipeline, DagTooLarge> => {
    const nodes = pipeline.dag.data.length + pipeline.dag.modules.length
    return nodes > limits.maxDagNodes
      ? Effect.fail(
        new DagTooLarge({
          message: `The pipeline compiles to ${nodes} nodes, more than the limit of ${limits.maxDagNodes}.`,
          nodes,
          limit: limits.maxDagNodes
        })
      )
      : Effect.succeed(pipeline)
  }

  // Per request by source: plain combinators rather than a generator (fewer steps of the run loop).
  const compile: PipelinesShape["compile"] = (source) =>
    Effect.suspend((): Effect.Effect<CompiledPipeline, CompileFailed | DagTooLarge | SourceTooLarge> =>
      // A UTF-8 byte is at least a UTF-16 unit's worth: only measure when it may be over.
      source.length * 3 > limits.maxSourceBytes && encoder.encode(source).byteLength > limits.maxSourceBytes
        ? Effect.fail(
          new SourceTooLarge({
            message: `The pipeline source is larger than the limit of ${limits.maxSourceBytes} bytes.`,
            limit: limits.maxSourceBytes
          })
        )
        : Effect.flatMap(Effect.mapError(compiler.compile(source), compileFailed), withinLimits)
    )

  const unknownRef = (ref: string, why = "compile its source first (POST /compile)") => {
    const shown = ref.length > 100 ? `${ref.slice(0, 100)}...` : ref
    return new UnknownRef({ message: `No compiled pipeline has the ref ${shown}: ${why}.`, ref: shown })
  }

  /** A ref compiled on another instance: its source from the store, compiled here to the same ref. */
  const fromStore = (ref: string) =>
    Effect.flatMap(cluster.pipelineSource(ref), (source) => {
      if (source === undefined) return Effect.fail(unknownRef(ref))
      return Effect.flatMap(Effect.catchAll(compile(source), () => Effect.fail(unknownRef(ref, "its source no longer compiles here"))), (pipeline) =>
        pipeline.ref === ref
          ? Effect.succeed(pipeline)
          : Effect.fail(unknownRef(ref, "its source compiles to another pipeline on this instance (its modules differ)")))
    })

  const resolve: PipelinesShape["resolve"] = (request) =>
    request.source !== undefined
      ? compile(request.source)
      : Effect.catchAll(compiler.lookup(request.ref ?? ""), (e) => cluster.kind === "memory" ? Effect.fail(unknownRef(e.ref)) : fromStore(e.ref))

  const compileShared: PipelinesShape["compileShared"] = (source) =>
    Effect.tap(compile(source), (pipeline) => cluster.savePipeline(pipeline.ref, source))

  return Pipelines.of({ compile, resolve, compileShared })
})

export const layer: Layer.Layer<Pipelines, never, Compiler | Limits | Cluster> = Layer.effect(Pipelines, make)
