/**
 * Reading a file named on the command line; a file that cannot be read is
 * a usage error that says why.
 */
import { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import { usage } from "./CliFailure.js"
import type { CliFailure } from "./CliFailure.js"

export const readText = (path: string): Effect.Effect<string, CliFailure, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path)).pipe(
    Effect.mapError((e) => usage(`Cannot read ${path}: ${e._tag === "SystemError" && e.reason === "NotFound" ? "no such file" : e.message}`))
  )
