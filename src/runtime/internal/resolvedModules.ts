/**
 * The implementation of each module node of a plan, and whether it must run
 * in a fiber whatever its implementation: looked up for every execution
 * (once per plan for a registry `makeRegistry` made, which never changes),
 * but made anew only when the registry gives other modules, so the
 * executions of a plan share the arrays.
 */
import { isFixedLookup } from "../../modules/ModuleRegistry.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import type { Plan } from "./Plan.js"

/** Options that need the attempt loop (and so a fiber) whatever the implementation. */
const needsAttemptLoop = (o: Plan["modules"][number]["options"]): boolean =>
  (o.retry ?? 0) > 0 || o.timeoutMs !== undefined || o.throttle !== undefined || o.concurrency !== undefined

/** A module's implementation: a plain function (`Module.sync`) or an Effect (`Module.make`). */
export type Implementation = RegisteredModule["implementation"]
/** A `Module.sync` implementation. */
export type SyncImplementation = Extract<Implementation, { readonly _tag: "Sync" }>
/** A `Module.make` implementation. */
export type EffectImplementation = Extract<Implementation, { readonly _tag: "Effect" }>

export interface Resolved {
  readonly lookup: (name: string) => RegisteredModule | undefined
  readonly impls: ReadonlyArray<RegisteredModule | undefined>
  readonly forked: ReadonlyArray<boolean>
  /**
   * Each module node's implementation when it has no option that needs a
   * look or a fiber first (cache, retry, timeout, ...): what it is called
   * with at once, the one array a wide batch's inner loop reads per module.
   */
  readonly direct: ReadonlyArray<Implementation | undefined>
}

/** A plan's modules as last looked up, kept while the registry gives the same ones (arrays shared by its executions). */
const resolvedByPlan = new WeakMap<Plan, Resolved>()

/** The implementation of each module node, and whether it needs a fiber: looked up for every execution, made anew only when they changed. */
export const resolvedOf = (plan: Plan, lookup: (name: string) => RegisteredModule | undefined): Resolved => {
  const known = resolvedByPlan.get(plan)
  if (known !== undefined && known.lookup === lookup) {
    // A registry made by makeRegistry never changes: nothing to look up again.
    if (isFixedLookup(lookup)) return known
    let same = true
    for (let j = 0; j < plan.modules.length && same; j++) same = lookup(plan.modules[j]!.module) === known.impls[j]
    if (same) return known
  }
  const impls = plan.modules.map((m) => lookup(m.module))
  const forked = plan.modules.map((m, j) => impls[j] !== undefined && needsAttemptLoop(m.options))
  const direct = plan.modules.map((m, j) => forked[j] || m.options.cacheMs !== undefined ? undefined : impls[j]?.implementation)
  const made = { lookup, impls, forked, direct }
  resolvedByPlan.set(plan, made)
  return made
}

