/**
 * The results of calls made `with cache: <duration>`, shared by every
 * execution of an engine: keyed by module and argument values, kept for the
 * call's duration, at most `capacity` entries (the least recently used go
 * first). Errors are never stored. In memory only: the `memory` backend of
 * `cache_backend`.
 */
import { Config, Context, Effect, Layer } from "effect"
import type { Value } from "../lang/value.js"

/** The cache's counters, for `/metrics` and `engine.cacheStats()`. */
export interface CacheStats {
  /** Lookups answered from the cache. */
  readonly hits: number
  /** Lookups that found nothing, or an entry past its time. */
  readonly misses: number
  /** Entries dropped: past their time, or the least recently used when full. */
  readonly evictions: number
  /** Entries held now. */
  readonly entries: number
  /** The most entries held at once. */
  readonly capacity: number
}

/** The module result cache. */
export interface ModuleCacheShape {
  /** The value stored under `key` if it is still fresh at `now` (ms); counts a hit or a miss. */
  readonly get: (key: string, now: number) => Value | undefined
  /** Stores a successful result until `expiresAt` (ms), evicting the least recently used entry when full. */
  readonly set: (key: string, value: Value, expiresAt: number) => void
  readonly stats: () => CacheStats
  /** Drops every entry (the counters stay). */
  readonly clear: () => void
}

/**
 * The cache of module results (`with cache: <duration>`), one per engine:
 * every execution of the engine shares it.
 *
 * @since 0.3.0
 * @category services
 */
export class ModuleCache extends Context.Tag("@constellation/ModuleCache")<ModuleCache, ModuleCacheShape>() {}

/** The key of a call: the module's name and its argument values as JSON. */
export const cacheKey = (module: string, args: ReadonlyArray<Value>): string => {
  let key = module
  for (const a of args) key += "\u0000" + JSON.stringify(a)
  return key
}

interface Entry {
  readonly value: Value
  readonly expiresAt: number
}

/** Makes a cache holding at most `capacity` entries (0 stores nothing). */
export const make = (capacity: number): ModuleCacheShape => {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  const entries = new Map<string, Entry>()
  let hits = 0, misses = 0, evictions = 0
  return {
    get: (key, now) => {
      const entry = entries.get(key)
      if (entry === undefined) {
        misses++
        return undefined
      }
      entries.delete(key)
      if (entry.expiresAt <= now) {
        evictions++
        misses++
        return undefined
      }
      entries.set(key, entry)
      hits++
      return entry.value
    },
    set: (key, value, expiresAt) => {
      if (capacity <= 0) return
      entries.delete(key)
      entries.set(key, { value, expiresAt })
      while (entries.size > capacity) {
        const oldest = entries.keys().next()
        if (oldest.done === true) break
        entries.delete(oldest.value)
        evictions++
      }
    },
    stats: () => ({ hits, misses, evictions, entries: entries.size, capacity }),
    clear: () => entries.clear()
  }
}

/** The cache holding at most `Config` `MODULE_CACHE_SIZE` entries (default 10,000). @since 0.3.0 @category layers */
export const layer: Layer.Layer<ModuleCache> = Layer.effect(
  ModuleCache,
  Effect.map(Effect.orDie(Config.integer("MODULE_CACHE_SIZE").pipe(Config.withDefault(10_000))), make)
)

/** A cache of a fixed capacity, whatever `Config` says: for tests and embedding. @since 0.3.0 @category layers */
export const layerWith = (capacity: number): Layer.Layer<ModuleCache> => Layer.sync(ModuleCache, () => make(capacity))
