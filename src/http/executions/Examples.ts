/**
 * The example pipelines (`*.cst` in the examples directory), read and
 * compiled once at startup so `/examples` can list them with their refs
 * and the compile cache already holds them.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Context, Effect, Either, Layer } from "effect"
import type { ExamplesResponse } from "../../protocol/api.js"
import { Pipelines } from "./Pipelines.js"
import { ServerConfig } from "../server/ServerConfig.js"

export type Example = ExamplesResponse["examples"][number]

export class Examples extends Context.Tag("@constellation/http/Examples")<Examples, ReadonlyArray<Example>>() {}

/** Reads and compiles every `*.cst` file of `dir`, by name; a directory that cannot be read gives none. */
export const load = (dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const pipelines = yield* Pipelines
    const files = yield* fs.readDirectory(dir).pipe(
      Effect.catchAll((e) => Effect.as(Effect.logWarning(`No examples loaded from ${dir}: ${e.message}`), []))
    )
    const loadOne = (file: string): Effect.Effect<ReadonlyArray<Example>> =>
      Effect.gen(function*() {
        const name = file.slice(0, -".cst".length)
        const source = yield* fs.readFileString(path.join(dir, file))
        const compiled = yield* Effect.either(pipelines.compile(source))
        if (Either.isRight(compiled)) return [{ name, source, ref: compiled.right.ref }]
        yield* Effect.logWarning(`Example ${file} does not compile: ${compiled.left.message}`)
        return [{ name, source }]
      }).pipe(Effect.catchAll((e) => Effect.as(Effect.logWarning(`Example ${file} could not be read: ${e.message}`), [])))
    const names = files.filter((f) => f.endsWith(".cst")).sort()
    return (yield* Effect.forEach(names, loadOne)).flat()
  })

/** The examples of `ServerConfig.examplesDir`. */
export const layer: Layer.Layer<Examples, never, ServerConfig | Pipelines | FileSystem.FileSystem | Path.Path> = Layer.effect(
  Examples,
  Effect.flatMap(ServerConfig, (config) => load(config.examplesDir))
)
