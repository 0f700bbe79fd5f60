/**
 * Ready-made layers for applications that embed the engine.
 */
import { Layer } from "effect"
import type { ConfigError } from "effect"
import { Compiler } from "../lang/Compiler.js"
import type { Module } from "../modules/Module.js"
import type { ModuleRegistry } from "../modules/ModuleRegistry.js"
import { layerWith as registryWith } from "../modules/stdlib/index.js"
import * as Engine from "./Engine.js"
import * as Scheduler from "./Scheduler.js"
import * as ModuleCache from "./ModuleCache.js"

/**
 * The engine, the compiler and the scheduler over a registry layer.
 * Configuration comes from `Config` (`MAX_CONCURRENT_MODULES`, `COMPILE_CACHE_SIZE`, `MODULE_CACHE_SIZE`).
 */
export const layerFrom = <E, R>(
  registry: Layer.Layer<ModuleRegistry, E, R>
): Layer.Layer<Engine.Engine | Compiler | Scheduler.Scheduler | ModuleRegistry, E | ConfigError.ConfigError, R> =>
  Layer.mergeAll(Engine.layer, Compiler.layer).pipe(
    Layer.provideMerge(Layer.merge(Scheduler.layer, ModuleCache.layer)),
    Layer.provideMerge(registry)
  )

/** The engine with the standard library plus `modules`; their requirements become the layer's. */
export const layer = <R = never>(
  modules: ReadonlyArray<Module<R>> = []
): Layer.Layer<Engine.Engine | Compiler | Scheduler.Scheduler | ModuleRegistry, ConfigError.ConfigError, R> =>
  layerFrom(registryWith(modules))
