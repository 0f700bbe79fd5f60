/**
 * A command line in, an exit code out: the command's failures are printed
 * and turned into their exit codes, so `main.ts` only runs this and exits.
 */
import { ValidationError } from "@effect/cli"
import type { CliApp } from "@effect/cli"
import { Effect } from "effect"
import { ExitCode } from "./CliFailure.js"
import { cli } from "./Cli.js"
import { withCliConsole } from "./CliConsole.js"
import { Terminal } from "./Terminal.js"

const report = (message: string) =>
  message === "" ? Effect.void : Effect.flatMap(Terminal, (terminal) => terminal.err(message))

/**
 * Runs `argv` (as `process.argv`: the executable and the script first).
 * Succeeds with the exit code: 0, 1 (something failed), 2 (compile or usage
 * error). A defect stays a defect.
 */
export const program = (argv: ReadonlyArray<string>): Effect.Effect<ExitCode, never, CliApp.CliApp.Environment | Terminal> =>
  Effect.flatMap(Terminal, (terminal) => withCliConsole(terminal.colour)(cli(argv))).pipe(
    Effect.as(ExitCode.Ok),
    // @effect/cli has printed the problem and the usage already.
    Effect.catchIf(ValidationError.isValidationError, () => Effect.succeed(ExitCode.Usage)),
    Effect.catchTag("CliFailure", (e) => Effect.as(report(e.message), e.exitCode))
  )
