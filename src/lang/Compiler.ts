/**
 * The compiler service: compiles pipelines against the module registry,
 * caching results (failures too) in a least-recently-used cache keyed by
 * the registry's fingerprint and the source, and finds pipelines compiled
 * earlier by their ref (content hash).
 *
 * @since 0.1.0
 */
import { Config, Context, Data, Effect, Either, Layer } from "effect"
import type { ConfigError } from "effect"
import { ModuleRegistry } from "../modules/ModuleRegistry.js"
import type { ModuleRegistryShape } from "../modules/ModuleRegistry.js"
import type { CompiledPipeline, CompileError } from "./CompiledPipeline.js"
import { compile as compileSource } from "./compileSource.js"

/**
 * No pipeline with this ref was compiled by this compiler (or it has been
 * evicted from the cache since).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownRefError extends Data.TaggedError("UnknownRefError")<{ readonly ref: string }> {
  override get message(): string {
    return `No compiled pipeline has the ref ${this.ref}: compile its source first.`
  }
}

/** @since 0.1.0 @category models */
export interface CompilerStats {
  readonly hits: number
  readonly misses: number
  /** Sources held in the cache. */
  readonly size: number
}

/** @since 0.1.0 @category models */
export interface CompilerShape {
  /** Compiles a source, or answers from the cache when the same source was compiled against the same registry. */
  readonly compile: (source: string) => Effect.Effect<CompiledPipeline, CompileError>
  /** A pipeline compiled earlier, by its ref. */
  readonly lookup: (ref: string) => Effect.Effect<CompiledPipeline, UnknownRefError>
  readonly stats: Effect.Effect<CompilerStats>
}

interface Entry {
  readonly fingerprint: string
  readonly result: Either.Either<CompiledPipeline, CompileError>
}

/**
 * A compiler over a registry, with a cache of `capacity` sources. A source
 * holds one entry: compiled again against a registry with another
 * fingerprint, it replaces its old result (which that registry may no longer
 * accept).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeCompiler = (registry: ModuleRegistryShape, options: { readonly capacity: number }): CompilerShape => {
  const capacity = Math.max(1, Math.floor(options.capacity))
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>()
  const byRef = new Map<string, { readonly pipeline: CompiledPipeline; readonly sources: Set<string> }>()
  let hits = 0
  let misses = 0

  const remove = (source: string, entry: Entry): void => {
    entries.delete(source)
    if (Either.isLeft(entry.result)) return
    const indexed = byRef.get(entry.result.right.ref)
    indexed?.sources.delete(source)
    if (indexed !== undefined && indexed.sources.size === 0) byRef.delete(entry.result.right.ref)
  }

  const insert = (source: string, entry: Entry): void => {
    entries.set(source, entry)
    if (Either.isRight(entry.result)) {
      const pipeline = entry.result.right
      const indexed = byRef.get(pipeline.ref)
      if (indexed === undefined) byRef.set(pipeline.ref, { pipeline, sources: new Set([source]) })
      else indexed.sources.add(source)
    }
    for (const [oldest, old] of entries) {
      if (entries.size <= capacity) break
      remove(oldest, old)
    }
  }

  const cached = (source: string): Either.Either<CompiledPipeline, CompileError> => {
    const fingerprint = registry.fingerprint
    const entry = entries.get(source)
    if (entry !== undefined && entry.fingerprint === fingerprint) {
      hits++
      entries.delete(source)
      entries.set(source, entry)
      return entry.result
    }
    misses++
    if (entry !== undefined) remove(source, entry)
    const result = compileSource(source, registry)
    insert(source, { fingerprint, result })
    return result
  }

  return {
    // Per request: a suspension over the cached Either (an Either is an Effect), not a generator.
    compile: (source: string) => Effect.suspend(() => cached(source)),
    // Per request by ref: a plain suspension, not a generator (about 5 fewer steps of the run loop).
    lookup: (ref: string) =>
      Effect.suspend((): Effect.Effect<CompiledPipeline, UnknownRefError> => {
        const indexed = byRef.get(ref)
        if (indexed === undefined) return Effect.fail(new UnknownRefError({ ref }))
        for (const source of indexed.sources) {
          const entry = entries.get(source)
          if (entry === undefined) continue
          entries.delete(source)
          entries.set(source, entry)
        }
        return Effect.succeed(indexed.pipeline)
      }),
    stats: Effect.sync(() => ({ hits, misses, size: entries.size }))
  }
}

/**
 * The cache capacity: `COMPILE_CACHE_SIZE`, default 1000.
 *
 * @since 0.1.0
 * @category config
 */
export const cacheSizeConfig: Config.Config<number> = Config.integer("COMPILE_CACHE_SIZE").pipe(
  Config.validate({ message: "must be at least 1", validation: (n) => n >= 1 }),
  Config.withDefault(1000),
  Config.withDescription("How many compiled sources the compiler keeps (least recently used are evicted).")
)

/**
 * A compiler over the `ModuleRegistry` service, its capacity from config.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<CompilerShape, ConfigError.ConfigError, ModuleRegistry> = Effect.gen(function*() {
  const registry = yield* ModuleRegistry
  const capacity = yield* cacheSizeConfig
  return makeCompiler(registry, { capacity })
})

/**
 * Compiles constellation-lang sources into pipelines, with a cache.
 *
 * @since 0.1.0
 * @category tags
 */
export class Compiler extends Context.Tag("@constellation/Compiler")<Compiler, CompilerShape>() {
  /** Requires `ModuleRegistry`; reads `COMPILE_CACHE_SIZE` (default 1000). */
  static readonly layer: Layer.Layer<Compiler, ConfigError.ConfigError, ModuleRegistry> = Layer.effect(Compiler, make)
}
