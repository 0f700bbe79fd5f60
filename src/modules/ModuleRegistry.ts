/**
 * The module registry: the modules a pipeline may call. The compiler type
 * checks calls against it and the runtime executes from it.
 */
import { Context, Effect, Exit, Layer } from "effect"
import type { Value } from "../lang/value.js"
import type { Module, Parameter } from "./Module.js"
import { printType } from "../lang/types.js"
import { printValue } from "../lang/printValue.js"

/** The registry's view of a module: its requirements already provided. */
export type RegisteredModule = Module<never>

/** What a registry holds: each module by name, all of them in name order, and a fingerprint of their signatures. */
export interface ModuleRegistryShape {
  readonly get: (name: string) => RegisteredModule | undefined
  readonly list: () => ReadonlyArray<RegisteredModule>
  /**
   * Changes whenever a module's name or signature does: part of the
   * compilation cache key, so a cached DAG is never reused against a
   * registry it was not checked against.
   */
  readonly fingerprint: string
}

/** The modules pipelines may call, by name. */
export class ModuleRegistry extends Context.Tag("@constellation/ModuleRegistry")<ModuleRegistry, ModuleRegistryShape>() {}

/** A parameter as a signature shows it: `decimals: Int`, or `decimals: Int = 2` when it has a default. */
export const printParameter = (p: Parameter): string =>
  `${p.name}: ${printType(p.type)}${p.default === undefined ? "" : ` = ${printValue(p.default)}`}`

/** A signature line, e.g. `Uppercase(text: String): String` or `FormatNumber(number: Float, decimals: Int = 2): String`. */
export const signature = (m: Module<unknown>): string =>
  `${m.name}(${m.params.map(printParameter).join(", ")}): ${printType(m.result)}`

/** The `get` of every registry `makeRegistry` made: each always gives the same module for a name. */
const fixedLookups = new WeakSet<(name: string) => RegisteredModule | undefined>()

/**
 * Builds a registry from modules whose requirements are already provided
 * (the standard library's `makeStdlib()`, modules that need no service), as
 * a value: `Layer.succeed(ModuleRegistry, makeRegistry(modules))`. A name
 * used twice throws.
 */
export const makeRegistry = (modules: ReadonlyArray<RegisteredModule>): ModuleRegistryShape => {
  const byName = new Map<string, RegisteredModule>()
  for (const m of modules) {
    if (byName.has(m.name)) throw new Error(`Module '${m.name}' is registered twice`)
    byName.set(m.name, m)
  }
  // Code-unit order, not localeCompare: the fingerprint must not depend on the machine's locale.
  const sorted = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const get = (name: string): RegisteredModule | undefined => byName.get(name)
  fixedLookups.add(get)
  return { get, list: () => sorted, fingerprint: sorted.map(signature).join("\n") }
}

/**
 * Whether `lookup` is the `get` of a registry made by `makeRegistry`, which
 * never changes: the runtime then looks a plan's modules up once, not per
 * execution. A registry written by hand may change what it gives.
 */
export const isFixedLookup = (lookup: (name: string) => RegisteredModule | undefined): boolean => fixedLookups.has(lookup)

/** The wrappers below call `run` at once with the same arguments: they borrow them as it does. */
const borrows = (implementation: { readonly borrowsArgs?: boolean }): { readonly borrowsArgs?: boolean } =>
  implementation.borrowsArgs === true ? { borrowsArgs: true } : {}

/**
 * Provides the services a module needs once, when the registry is built, so
 * the runtime can run every module without knowing their requirements.
 */
export const provideModule = <R>(m: Module<R>): Effect.Effect<RegisteredModule, never, R> => {
  const implementation = m.implementation
  if (implementation._tag === "Sync") return Effect.succeed({ ...m, implementation })
  return Effect.map(Effect.context<R>(), (ctx): RegisteredModule =>
    ctx.unsafeMap.size === 0
      // No services to provide (R is never): the implementation runs as it is.
      ? { ...m, implementation: { _tag: "Effect", ...borrows(implementation), run: (args) => implementation.run(args) as Effect.Effect<Value, unknown> } }
      : {
        ...m,
        implementation: {
          _tag: "Effect",
          ...borrows(implementation),
          // A completed effect (an Exit) needs no services: keep it an Exit for the runtime's fast path.
          run: (args) => {
            const effect = implementation.run(args)
            return Exit.isExit(effect) ? (effect as Exit.Exit<Value, unknown>) : Effect.provide(effect, ctx)
          }
        }
      })
}

/**
 * A registry layer from modules; their requirements become the layer's.
 * `ready` are modules that need no service (the standard library's): they
 * run as they are, where a module with requirements gets them provided on
 * each call.
 */
export const layer = <R>(
  modules: ReadonlyArray<Module<R>>,
  ready: ReadonlyArray<Module<never>> = []
): Layer.Layer<ModuleRegistry, never, R> =>
  Layer.effect(
    ModuleRegistry,
    Effect.map(Effect.forEach(modules, provideModule), (provided) => makeRegistry([...ready, ...provided]))
  )
