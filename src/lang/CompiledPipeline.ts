/**
 * A compiled pipeline: a checked program's DAG. The runtime accepts only
 * this type, never raw source; only the compiler makes one.
 */
import { Data } from "effect"
import type { DagSpec } from "./dag.js"
import type { Diagnostic } from "./diagnostic.js"

const CompiledPipelineTypeId: unique symbol = Symbol.for("@constellation/CompiledPipeline")

/** A pipeline the compiler accepted: its DAG and its `ref`. The engine runs nothing else. */
export interface CompiledPipeline {
  readonly [CompiledPipelineTypeId]: typeof CompiledPipelineTypeId
  /** The DAG's content hash: a reference that runs this pipeline again without recompiling. */
  readonly ref: string
  readonly dag: DagSpec
}

/** @internal Used by the compiler only. */
export const unsafeMakeCompiledPipeline = (dag: DagSpec): CompiledPipeline => ({
  [CompiledPipelineTypeId]: CompiledPipelineTypeId,
  ref: dag.hash,
  dag
})

/** Whether `u` is a compiled pipeline. */
export const isCompiledPipeline = (u: unknown): u is CompiledPipeline =>
  typeof u === "object" && u !== null && CompiledPipelineTypeId in u

/** A pipeline that does not compile, with every diagnostic found. */
export class CompileError extends Data.TaggedError("CompileError")<{
  readonly diagnostics: ReadonlyArray<Diagnostic>
}> {
  override get message(): string {
    const first = this.diagnostics[0]
    const more = this.diagnostics.length > 1 ? ` (and ${this.diagnostics.length - 1} more)` : ""
    return first === undefined ? "compile error" : `${first.line}:${first.column} ${first.code} ${first.message}${more}`
  }
}
