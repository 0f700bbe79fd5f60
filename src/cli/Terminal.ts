/**
 * Where the CLI writes: stdout for results, stderr for diagnostics and the
 * live status line, which is only drawn on a terminal. Colour is used on a
 * terminal unless `NO_COLOR` is set (to anything but ""), each stream on
 * its own: `constellation --help | less` gets none.
 */
import { Config, Context, Effect, Layer, Option } from "effect"
import type { Style } from "./formatDiagnostic.js"
import { plain } from "./formatDiagnostic.js"

export interface TerminalShape {
  /** Writes a line to stdout. */
  readonly out: (line: string) => Effect.Effect<void>
  /** Writes a line to stderr. */
  readonly err: (line: string) => Effect.Effect<void>
  /** Replaces the status line at the bottom of stderr (a terminal only); "" clears it. */
  readonly status: (line: string) => Effect.Effect<void>
  /** Whether stderr is a terminal: the live status line is drawn there. */
  readonly interactive: boolean
  /** Colours for stderr. */
  readonly style: Style
  /** Whether escape codes may be written to each stream. */
  readonly colour: Colour
}

/** Whether colour is wanted on stdout and on stderr. */
export interface Colour {
  readonly stdout: boolean
  readonly stderr: boolean
}

export class Terminal extends Context.Tag("@constellation/cli/Terminal")<Terminal, TerminalShape>() {}

const CLEAR_LINE = "\r\x1b[2K"

const ansi = (code: string) => (s: string): string => `\x1b[${code}m${s}\x1b[0m`

const colours: Style = { error: ansi("1;31"), caret: ansi("1;31"), dim: ansi("2") }

/** The process's stdout and stderr. */
export const make: Effect.Effect<TerminalShape> = Effect.gen(function*() {
  const noColor = yield* Config.string("NO_COLOR").pipe(
    Config.option,
    Effect.map(Option.filter((s) => s !== "")),
    Effect.orElseSucceed(() => Option.none())
  )
  const interactive = process.stderr.isTTY === true
  const colour: Colour = {
    stdout: process.stdout.isTTY === true && Option.isNone(noColor),
    stderr: interactive && Option.isNone(noColor)
  }
  let statusShown = ""
  const clearStatus = () => {
    if (statusShown !== "") process.stderr.write(CLEAR_LINE)
  }
  const redraw = () => {
    if (statusShown !== "") process.stderr.write(statusShown)
  }
  const around = (write: () => void) =>
    Effect.sync(() => {
      clearStatus()
      write()
      redraw()
    })
  return {
    out: (line) => around(() => process.stdout.write(`${line}\n`)),
    err: (line) => around(() => process.stderr.write(`${line}\n`)),
    status: (line) =>
      Effect.sync(() => {
        if (!interactive || line === statusShown) return
        clearStatus()
        statusShown = line.slice(0, Math.max(10, (process.stderr.columns || 80) - 1))
        redraw()
      }),
    interactive,
    style: colour.stderr ? colours : plain,
    colour
  }
})

export const layer: Layer.Layer<Terminal> = Layer.effect(Terminal, make)
