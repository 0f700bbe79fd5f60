/**
 * `constellation lsp --stdio`: the language server for editors, over
 * standard input and output, with the standard library's modules.
 */
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { ModuleRegistry } from "../../modules/ModuleRegistry.js"
import { layerStdlib } from "../../modules/stdlib/index.js"
import { serveStdio } from "../../lsp/stdio.js"

const stdio = Options.boolean("stdio").pipe(Options.withDescription("Speak LSP over standard input and output (the default, and the only transport here; the HTTP service serves GET /lsp over WebSocket)."))

export const lsp = Command.make("lsp", { stdio }, () =>
  Effect.gen(function*() {
    const registry = yield* ModuleRegistry
    yield* Effect.sync(() => serveStdio(registry))
    // The server ends the process when the client exits or closes stdin.
    return yield* Effect.never
  }).pipe(Effect.provide(layerStdlib))
).pipe(Command.withDescription("Run the language server (diagnostics, completion, hover, rename...) for an editor, over stdio."))
