/**
 * The namespace table: which namespaces exist and what each holds, derived
 * from a module registry (a module named `stdlib.math.add` is the member
 * `add` of the namespace `stdlib.math`) plus the reserved intrinsics. Built
 * once per registry.
 */
import type { ModuleRegistryShape } from "../../modules/ModuleRegistry.js"
import { intrinsicNamespaces } from "./intrinsics.js"

export interface NamespaceIndex {
  /** Every namespace and every prefix of one: `stdlib`, `stdlib.math`, ... */
  readonly namespaces: ReadonlySet<string>
  /** Namespace to member name to qualified name. */
  readonly members: ReadonlyMap<string, ReadonlyMap<string, string>>
  /** A member name to the qualified names of every namespace that has it, in registry order. */
  readonly bySimpleName: ReadonlyMap<string, ReadonlyArray<string>>
}

/** Splits `stdlib.math.add` into `["stdlib.math", "add"]`; a top-level name has the namespace `""`. */
export const splitQualified = (name: string): readonly [string, string] => {
  const dot = name.lastIndexOf(".")
  return dot < 0 ? ["", name] : [name.slice(0, dot), name.slice(dot + 1)]
}

const build = (registry: ModuleRegistryShape): NamespaceIndex => {
  const namespaces = new Set<string>()
  const members = new Map<string, Map<string, string>>()
  const bySimpleName = new Map<string, Array<string>>()
  const add = (qualified: string): void => {
    const [ns, member] = splitQualified(qualified)
    if (ns === "") return
    let prefix = ""
    for (const segment of ns.split(".")) {
      prefix = prefix === "" ? segment : `${prefix}.${segment}`
      namespaces.add(prefix)
    }
    let table = members.get(ns)
    if (table === undefined) members.set(ns, (table = new Map()))
    table.set(member, qualified)
    const same = bySimpleName.get(member)
    if (same === undefined) bySimpleName.set(member, [qualified])
    else if (!same.includes(qualified)) same.push(qualified)
  }
  for (const m of registry.list()) add(m.name)
  for (const [ns, names] of intrinsicNamespaces) for (const name of names) add(`${ns}.${name}`)
  return { namespaces, members, bySimpleName }
}

const cache = new WeakMap<ModuleRegistryShape, NamespaceIndex>()

/** The namespace table of a registry (computed on first use, then cached with the registry). */
export const namespaceIndex = (registry: ModuleRegistryShape): NamespaceIndex => {
  let index = cache.get(registry)
  if (index === undefined) cache.set(registry, (index = build(registry)))
  return index
}
