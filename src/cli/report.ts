/**
 * Prints a run's events as they arrive: each output with its time since
 * the start (or one JSON object per event with `--json`), a live progress
 * line on a terminal, and a summary. Returns what the run produced.
 */
import { Clock, Effect, Stream } from "effect"
import { makeResultCollector } from "../client/ResultCollector.js"
import type { BatchResponse } from "../protocol/api.js"
import type { CliFailure } from "./CliFailure.js"
import { makeProgressTracker } from "./ProgressTracker.js"
import { formatElapsed, formatJsonLine, formatResult, formatSummary } from "./render.js"
import type { RunEvents } from "./RunSpec.js"
import { Terminal } from "./Terminal.js"

export interface ReportOptions {
  /** One JSON object per event on stdout instead of lines for people. */
  readonly json: boolean
  /** Whether `--progress` was given: progress events are printed (as JSON, or as lines when stderr is not a terminal). */
  readonly progress: boolean
}

const isResult = (event: string): boolean => event === "output" || event === "complete" || event === "error"

export const report = (events: RunEvents, options: ReportOptions): Effect.Effect<BatchResponse, CliFailure, Terminal> =>
  Effect.gen(function*() {
    const terminal = yield* Terminal
    const start = yield* Clock.currentTimeMillis
    const elapsed = Effect.map(Clock.currentTimeMillis, (now) => now - start)
    const collector = makeResultCollector()
    const tracker = makeProgressTracker()

    yield* Stream.runForEach(events, (e) =>
      Effect.gen(function*() {
        const ms = yield* elapsed
        collector.add(e)
        if (options.json) {
          if (isResult(e.event) || options.progress) yield* terminal.out(formatJsonLine(e, ms))
          return
        }
        const line = formatResult(e, ms)
        if (line !== undefined) yield* terminal.out(line)
        if (!tracker.add(e)) return
        if (terminal.interactive) yield* terminal.status(tracker.line())
        else if (options.progress && e.event === "progress") yield* terminal.err(`${formatElapsed(ms)} progress: ${tracker.line()}`)
      })).pipe(Effect.ensuring(terminal.status("")))

    const ms = yield* elapsed
    const result = collector.result(ms)
    if (!options.json) yield* terminal.out(formatSummary(result, ms))
    return result
  })
