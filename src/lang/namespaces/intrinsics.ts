/**
 * Functions of the original standard library that are language constructs
 * rather than modules: the higher-order list functions of
 * `stdlib.collection`, which take a lambda. Their names are reserved in the
 * namespace table, so `use stdlib.collection`, `stdlib.collection.filter`
 * and the bare `filter` resolve to them; the checker hands such a call to
 * the list functions' own rules (src/lang/checker/listFunctionCalls.ts).
 */

/** Namespace to its intrinsic members. */
export const intrinsicNamespaces: ReadonlyMap<string, ReadonlyArray<string>> = new Map([
  ["stdlib.collection", ["filter", "map", "all", "any"]]
])

/** Every intrinsic by qualified name (`stdlib.collection.filter`). */
export const intrinsicNames: ReadonlySet<string> = new Set(
  [...intrinsicNamespaces].flatMap(([ns, members]) => members.map((m) => `${ns}.${m}`))
)
