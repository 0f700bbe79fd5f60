/**
 * The standard library: text, data and latency modules, the stand-in
 * services of the resilience examples, the original project's namespaced
 * functions (`stdlib.math.add` ...), and registry
 * layers that serve them.
 */
import { Layer } from "effect"
import type { Module } from "../Module.js"
import { layer, type ModuleRegistry } from "../ModuleRegistry.js"
import { dataModules } from "./data.js"
import { demoModules } from "./demos.js"
import { makeLatencyModules } from "./latency.js"
import { originalModules } from "./original/index.js"
import { textModules } from "./text.js"

/**
 * Every standard module, with fresh state (`FlakyService`'s call counter) per
 * call: the PascalCase modules, the stand-ins, then the original's namespaced functions.
 */
export const makeStdlib = (): ReadonlyArray<Module<never>> => [
  ...textModules,
  ...dataModules,
  ...makeLatencyModules(),
  ...demoModules,
  ...originalModules
]

/** A `ModuleRegistry` of the standard library; every build of the layer has fresh module state. */
export const layerStdlib: Layer.Layer<ModuleRegistry> = Layer.suspend(() => layer([], makeStdlib()))

/**
 * A `ModuleRegistry` of the standard library plus `extra` modules, whose
 * requirements become the layer's. A name used twice is a defect when the
 * layer is built.
 */
export const layerWith = <R>(extra: ReadonlyArray<Module<R>>): Layer.Layer<ModuleRegistry, never, R> =>
  Layer.suspend(() => layer<R>(extra, makeStdlib()))
