/**
 * The `constellation` executable. Exit codes: 0 success, 1 a run in which
 * something failed, 2 compile and usage errors, 130 interrupted (a drained
 * `serve` exits 0).
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Effect, Exit } from "effect"
import { ExitCode } from "./CliFailure.js"
import { program } from "./program.js"
import * as Terminal from "./Terminal.js"

NodeRuntime.runMain(program(process.argv).pipe(Effect.provide(Terminal.layer), Effect.provide(NodeContext.layer)), {
  teardown: (exit, onExit) => {
    if (Exit.isSuccess(exit)) onExit(typeof exit.value === "number" ? exit.value : ExitCode.Ok)
    else if (Cause.isInterruptedOnly(exit.cause)) onExit(typeof process.exitCode === "number" ? process.exitCode : ExitCode.Interrupted)
    else onExit(ExitCode.Failed)
  }
})
