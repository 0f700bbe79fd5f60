/**
 * From source text to a compiled pipeline: parse, check, build the DAG.
 */
import { Either } from "effect"
import type { ModuleRegistryShape } from "../modules/ModuleRegistry.js"
import { check } from "./checker/check.js"
import { compileProgram } from "./buildDag.js"
import { CompileError, unsafeMakeCompiledPipeline } from "./CompiledPipeline.js"
import type { CompiledPipeline } from "./CompiledPipeline.js"
import { sortDiagnostics } from "./diagnostic.js"
import { parse } from "./parser.js"

/**
 * Compiles a pipeline against a registry. Fails with every diagnostic of
 * the parser and the checker, sorted by position; a program with any
 * diagnostic never produces a DAG. Never throws.
 */
export const compile = (source: string, registry: ModuleRegistryShape): Either.Either<CompiledPipeline, CompileError> => {
  const parsed = parse(source)
  const checked = check(parsed.program, registry)
  if (parsed.diagnostics.length > 0 || checked.diagnostics.length > 0) {
    return Either.left(new CompileError({ diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]) }))
  }
  return Either.right(unsafeMakeCompiledPipeline(compileProgram(checked.checked)))
}
