/**
 * The original project's namespaced standard library (`stdlib.math.add`,
 * `stdlib.string.string-length`, ...), beside the PascalCase modules.
 * Pipelines call these functions by their full name, through an alias, or
 * by their member name (docs/language.md, "Namespaces"). The higher-order
 * functions of `stdlib.collection` (filter, map, all, any) are language
 * constructs, not modules: see src/lang/namespaces/intrinsics.ts.
 */
import type { Module } from "../../Module.js"
import { boolModules, compareModules } from "./compare.js"
import { convertModules, identity, log } from "./convert.js"
import { listModules } from "./list.js"
import { mathModules } from "./math.js"
import { stringModules } from "./string.js"

/** Every function of the original standard library, by namespace in the order the reference lists them. */
export const originalModules: ReadonlyArray<Module<never>> = [
  ...mathModules,
  ...stringModules,
  ...compareModules,
  ...boolModules,
  ...listModules,
  ...convertModules,
  identity,
  log
]
