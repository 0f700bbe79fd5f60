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
