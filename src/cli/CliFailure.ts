/**
 * How a command ends when it does not succeed: the process's exit code and
 * what to tell the user (already printed when empty).
 */
import { Data } from "effect"

/** The exit codes of `constellation`. */
export const ExitCode = {
  /** Every output succeeded (or the command did what it was asked). */
  Ok: 0,
  /** The pipeline ran but some output failed, or the run itself failed (server unreachable, stream cut). */
  Failed: 1,
  /** The pipeline does not compile, or the command line or the inputs are wrong. */
  Usage: 2,
  /** Interrupted (Ctrl+C). */
  Interrupted: 130
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** A command's failure: `message` goes to stderr (nothing when empty), then the process exits with `exitCode`. */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly exitCode: typeof ExitCode.Failed | typeof ExitCode.Usage
  readonly message: string
}> {}

/** A usage error: a wrong flag value, an unreadable file, inputs that do not fit. */
export const usage = (message: string): CliFailure => new CliFailure({ exitCode: ExitCode.Usage, message })

/** A run that did not fully succeed. */
export const failed = (message: string): CliFailure => new CliFailure({ exitCode: ExitCode.Failed, message })
