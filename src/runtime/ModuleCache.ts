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
  /** Stores a successful result until `expiresAt` (ms); when full, evicts the oldest entry not used since its last second chance. */
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
  for (const a of args) key += "\u0000" + argKey(a)
  return key
}

/** An argument's part of a cache key: its JSON (a number as itself, which JSON writes the same). */
export const argKey = (a: Value): string => (typeof a === "number" ? String(a) : JSON.stringify(a))

interface Entry {
  readonly value: Value
  readonly expiresAt: number
  /** Used since it was last given a second chance (the CLOCK approximation of least recently used). */
  referenced: boolean
}

export const make = (capacity: number): ModuleCacheShape => {
  // Insertion order is the clock: a hit only marks its entry; when full, the
  // oldest unmarked entry goes, and a marked one met on the way is moved to
  // the newest end, unmarked (a second chance). A hit does not reorder the Map.
  const entries = new Map<string, Entry>()
  let hits = 0, misses = 0, evictions = 0
  return {
    get: (key, now) => {
      const entry = entries.get(key)
      if (entry === undefined) {
        misses++
        return undefined
      }
      if (entry.expiresAt <= now) {
        entries.delete(key)
        evictions++
        misses++
        return undefined
      }
      entry.referenced = true
      hits++
      return entry.value
    },
    set: (key, value, expiresAt) => {
      if (capacity <= 0) return
      entries.delete(key)
      entries.set(key, { value, expiresAt, referenced: false })
      while (entries.size > capacity) {
        const oldest = entries.entries().next()
        if (oldest.done === true) break
        const [k, entry] = oldest.value
        entries.delete(k)
        if (k === key) entries.set(k, entry)
        else if (entry.referenced) {
          entry.referenced = false
          entries.set(k, entry)
        } else evictions++
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
