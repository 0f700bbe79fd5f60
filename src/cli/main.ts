/**
 * The `constellation` executable. Exit codes: 0 success, 1 a run in which
 * something failed, 2 compile and usage errors, 130 interrupted (a drained
 * `serve` exits 0). A closed stdout or stderr (`| head`) ends it quietly.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Effect, Exit } from "effect"
import { ExitCode } from "./CliFailure.js"
import { program } from "./program.js"
import * as Terminal from "./Terminal.js"

/**
 * A reader that went away (`constellation run ... | head`): what is left to
 * print has nowhere to go, so the command ends quietly, as the tools of a
 * pipeline do, instead of printing Node's stack trace for EPIPE. Its
 * in-process execution ends with the process; a remote one is cancelled by
 * the server when the connection closes.
 */
const onClosedPipe = (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : ExitCode.Ok)
  throw error
}
process.stdout.on("error", onClosedPipe)
process.stderr.on("error", onClosedPipe)

NodeRuntime.runMain(program(process.argv).pipe(Effect.provide(Terminal.layer), Effect.provide(NodeContext.layer)), {
  teardown: (exit, onExit) => {
    if (Exit.isSuccess(exit)) onExit(typeof exit.value === "number" ? exit.value : ExitCode.Ok)
    else if (Cause.isInterruptedOnly(exit.cause)) onExit(typeof process.exitCode === "number" ? process.exitCode : ExitCode.Interrupted)
    else onExit(ExitCode.Failed)
  }
})
