/**
 * Constellation: a typed pipeline engine on Effect that streams every
 * output the moment it is ready.
 *
 * The library's public API: compile constellation-lang with `Compiler`,
 * run the result with `Engine` (as a batch or a `Stream` of events), define
 * modules with `Module.make` / `Module.sync`, and assemble it all with
 * `Constellation.layer`, or by hand from each service's layer
 * (`layerEngine`, `layerScheduler`, `layerRegistry`, `layerStdlib`,
 * `Compiler.layer`).
 */
export * as Constellation from "./runtime/layers.js"
export { Engine, DEFAULT_MAX_BUFFERED, layer as layerEngine } from "./runtime/Engine.js"
export type { EngineShape, StreamOptions } from "./runtime/Engine.js"
export type { Execution, ExecutionOptions } from "./runtime/Execution.js"
export { ExecutionLog } from "./runtime/ExecutionLog.js"
export type { LogReader, LogWriter, ReadOptions } from "./runtime/ExecutionLog.js"
export type { EventsOptions, RunningExecution } from "./runtime/RunningExecution.js"
export { snapshotOf } from "./runtime/ExecutionSnapshot.js"
export type { ExecutionSnapshot, OutputProgress } from "./runtime/ExecutionSnapshot.js"
export { StopSignalController } from "./runtime/StopSignal.js"
export type { StopSignal } from "./runtime/StopSignal.js"
export * from "./runtime/ExecutionEvent.js"
export { BatchResult, OutputStatus } from "./runtime/BatchResult.js"
export { Scheduler, layer as layerScheduler, layerWith as layerSchedulerWith } from "./runtime/Scheduler.js"
export type { SchedulerStats } from "./runtime/Scheduler.js"
export { Compiler, UnknownRefError } from "./lang/Compiler.js"
export type { CompilerStats } from "./lang/Compiler.js"
export { compile } from "./lang/compileSource.js"
export { CompileError, isCompiledPipeline } from "./lang/CompiledPipeline.js"
export type { CompiledPipeline } from "./lang/CompiledPipeline.js"
export type { Diagnostic, DiagnosticCode } from "./lang/diagnostic.js"
export { DiagnosticCodes } from "./lang/diagnostic.js"
export { InputError, decodeInputs, decodeValue, encodeValue } from "./lang/codec.js"
export type { ValueIssue } from "./lang/codec.js"
export type { Type } from "./lang/types.js"
export { printType } from "./lang/types.js"
export type { Value } from "./lang/value.js"
export type { DagSpec } from "./lang/dag.js"
export * as Module from "./modules/Module.js"
export { ModuleError } from "./modules/ModuleError.js"
export { ModuleRegistry, layer as layerRegistry, makeRegistry, signature } from "./modules/ModuleRegistry.js"
export type { ModuleRegistryShape, RegisteredModule } from "./modules/ModuleRegistry.js"
export { typeVariable } from "./modules/typeFromSchema.js"
export { layerStdlib, layerWith as layerStdlibWith, makeStdlib } from "./modules/stdlib/index.js"
