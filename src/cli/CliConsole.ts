/**
 * The Console @effect/cli prints through (help, `--version`, its own usage
 * errors). @effect/cli always writes escape codes and puts a generic line
 * under each option of a kind ("A user-defined piece of text." under every
 * text option); here the escape codes are kept only on a terminal without
 * `NO_COLOR`, per stream, and the generic lines are dropped, since every
 * option has its own description.
 */
import { Effect } from "effect"
import type { Console } from "effect"
import type { Colour } from "./Terminal.js"

// Control Sequence Introducer sequences: the printer writes SGR (`ESC[...m`) only.
const ESCAPE = /\x1b\[[0-?]*[ -/]*[@-~]/g

/** What @effect/cli writes under an option for its kind, whatever the option. */
const GENERIC_LINES: ReadonlySet<string> = new Set(["A user-defined piece of text.", "A true or false value."])

/** `text` without escape codes unless `colour`, and without the generic lines (nor the blank line after each). */
export const cleanText = (text: string, colour: boolean): string => {
  const lines = (colour ? text : text.replace(ESCAPE, "")).split("\n")
  const kept: Array<string> = []
  for (let i = 0; i < lines.length; i++) {
    if (!GENERIC_LINES.has(lines[i]!.replace(ESCAPE, "").trim())) kept.push(lines[i]!)
    else if (lines[i + 1]?.trim() === "") i++
  }
  return kept.join("\n")
}

const cleanArgs = (args: ReadonlyArray<unknown>, colour: boolean): Array<unknown> =>
  args.map((a) => (typeof a === "string" ? cleanText(a, colour) : a))

/** `base` with what `log` (stdout) and `error` (stderr) print cleaned. */
export const make = (base: Console.Console, colour: Colour): Console.Console => ({
  ...base,
  log: (...args) => base.log(...cleanArgs(args, colour.stdout)),
  error: (...args) => base.error(...cleanArgs(args, colour.stderr)),
  unsafe: {
    ...base.unsafe,
    log: (...args) => base.unsafe.log(...cleanArgs(args, colour.stdout)),
    error: (...args) => base.unsafe.error(...cleanArgs(args, colour.stderr))
  }
})

/** Runs `effect` with the current Console cleaned for `colour`. */
export const withCliConsole = (colour: Colour) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.console, (base) => Effect.withConsole(effect, make(base, colour)))
