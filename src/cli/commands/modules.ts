/**
 * `constellation modules`: every module a pipeline may call, with its
 * signature and description.
 */
import { Command } from "@effect/cli"
import { Effect } from "effect"
import { ModuleRegistry, signature } from "../../modules/ModuleRegistry.js"
import { layerStdlib } from "../../modules/stdlib/index.js"
import { Terminal } from "../Terminal.js"

export const modules = Command.make("modules", {}, () =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const registry = yield* ModuleRegistry
    const list = [...registry.list()].sort((a, b) => a.name.localeCompare(b.name))
    const lines = list.flatMap((m) => [signature(m), ...(m.description === "" ? [] : [`    ${m.description}`])])
    yield* terminal.out([...lines, "", `${list.length} modules`].join("\n"))
  }).pipe(Effect.provide(layerStdlib))
).pipe(Command.withDescription("List the modules pipelines can call, with their signatures."))
