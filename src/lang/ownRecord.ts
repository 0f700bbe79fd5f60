/**
 * Plain objects built from many keys, cheaply and safely. Adding keys one
 * by one to `{}` makes V8 walk a new hidden class per key, and
 * `Object.fromEntries` over a Map costs about as much again: for the
 * 1,000 outputs of a wide pipeline, over a millisecond. A null-prototype
 * object starts as a hash table, where an insertion is cheap; its
 * prototype is set to `Object.prototype` at the end, so the result is an
 * ordinary object. Keys are own data properties: `__proto__` is a field
 * like any other.
 */

/** From this many keys on, the hash-table build pays for itself. */
const MANY_KEYS = 32

/** A plain object with the entries of `map`, in its order. */
export const recordFromMap = <V>(map: ReadonlyMap<string, V>): { readonly [key: string]: V } => {
  if (map.size < MANY_KEYS) return Object.fromEntries(map)
  const record = Object.create(null) as Record<string, V>
  for (const [k, v] of map) record[k] = v
  return Object.setPrototypeOf(record, Object.prototype) as Record<string, V>
}

/** A record built key by key: `set`, `has`, then `build` once. */
export interface RecordBuilder<V> {
  readonly set: (key: string, value: V) => void
  readonly has: (key: string) => boolean
  /** The record; the builder is not to be used afterwards. */
  readonly build: () => { readonly [key: string]: V }
}

/**
 * A builder for a record of about `expected` keys: from `MANY_KEYS` on, the
 * hash table is written directly (no Map in between, half the allocation
 * of `recordFromMap`); below, a Map made into an object at the end.
 */
export const recordBuilder = <V>(expected: number): RecordBuilder<V> => {
  if (expected < MANY_KEYS) {
    const map = new Map<string, V>()
    return {
      set: (k, v) => void map.set(k, v),
      has: (k) => map.has(k),
      build: () => recordFromMap(map)
    }
  }
  const record = Object.create(null) as Record<string, V>
  return {
    set: (k, v) => void (record[k] = v),
    has: (k) => k in record,
    build: () => Object.setPrototypeOf(record, Object.prototype) as Record<string, V>
  }
}

/** V8 keeps an object of up to about this many keys (its descriptor limit, 1,020) as a fast object. */
export const MAX_TEMPLATE_KEYS = 1000

/**
 * A record with every key of `keys` (in order) set to `value`, to be
 * copied with object spread: V8 keeps it a fast object (up to
 * `MAX_TEMPLATE_KEYS` keys), so a copy is one block of memory, not a
 * hash table (for 1,000 keys, 8 instead of 97 KB and a tenth of the time),
 * and setting a key it has keeps its place. Keys are own data properties,
 * `__proto__` included (spread defines, it does not assign).
 */
export const recordTemplate = <V>(keys: ReadonlyArray<string>, value: V): { readonly [key: string]: V } => {
  const record = Object.create(null) as Record<string, V>
  for (const k of keys) record[k] = value
  // The spread of a hash-table object is a fast object with its keys in order.
  return { ...Object.setPrototypeOf(record, Object.prototype) as Record<string, V> }
}
