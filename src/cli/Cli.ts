/**
 * The `constellation` command line: `serve`, `run`, `attach`, `cancel`,
 * `compile`, `modules`, `lsp`.
 */
import { Command } from "@effect/cli"
import { Effect } from "effect"
import { usage } from "./CliFailure.js"
import { attach } from "./commands/attach.js"
import { cancel } from "./commands/cancel.js"
import { compile } from "./commands/compile.js"
import { lsp } from "./commands/lsp.js"
import { modules } from "./commands/modules.js"
import { run } from "./commands/run.js"
import { serve } from "./commands/serve.js"

export const VERSION = "0.1.0"

export const root = Command.make("constellation", {}, () =>
  Effect.fail(usage("Give a command: serve, run, attach, cancel, compile, modules or lsp (constellation --help says more)."))).pipe(
  Command.withDescription("A typed pipeline engine that streams every output the moment it is ready."),
  Command.withSubcommands([serve, run, attach, cancel, compile, modules, lsp])
)

/** Parses the command line (`process.argv`, executable first) and runs the command. */
export const cli = Command.run(root, { name: "constellation", version: VERSION })
