/**
 * The lines `constellation run` prints: the inputs that took their
 * `@example` value, one line per output as it arrives with its time since
 * the start, one JSON object per event for scripts, and the closing
 * summary.
 */
import type { BatchResponse } from "../protocol/api.js"
import { isExecutionError } from "../client/StreamEvent.js"
import type { StreamEvent } from "../client/StreamEvent.js"
import type { Value } from "../lang/value.js"
import type { ErrorInfo } from "../protocol/errors.js"

const MAX_NOTE_VALUE = 40

const shortJson = (value: Value): string => {
  const json = JSON.stringify(value)
  return json.length <= MAX_NOTE_VALUE ? json : `${json.slice(0, MAX_NOTE_VALUE - 1)}…`
}

/** `note: query = "constellation" from @example (not given with --input or --inputs)`, one line for every such input. */
export const formatExampleNote = (fromExamples: ReadonlyArray<readonly [string, Value]>): string => {
  const values = fromExamples.map(([name, value]) => `${name} = ${shortJson(value)}`).join(", ")
  return `note: ${values} from @example (not given with --input or --inputs)`
}

/** `[   52 ms]`: right-aligned, so the names line up. */
export const formatElapsed = (ms: number): string => `[${String(Math.round(ms)).padStart(6)} ms]`

const describeError = (error: ErrorInfo): string =>
  `${error.code}: ${error.message}${error.module === null ? "" : ` (in ${error.module})`}`

/** The human line of a result event (an output, a failed output, the end of the execution); undefined for the others. */
export const formatResult = (e: StreamEvent, elapsedMs: number): string | undefined => {
  const at = formatElapsed(elapsedMs)
  switch (e.event) {
    case "output":
    case "complete":
      return `${at} ${e.data.name} = ${JSON.stringify(e.data.value)}`
    case "error": {
      const data = e.data
      if (isExecutionError(data)) {
        const missing = data.missing.length === 0 ? "" : `; missing: ${data.missing.join(", ")}`
        return `${at} execution ended early: ${describeError(data.error)}${missing}`
      }
      return `${at} ${data.name} FAILED ${describeError(data.error)}`
    }
    default:
      return undefined
  }
}

/** The JSON line of an event: `{"event", "elapsedMs", "data"}`. */
export const formatJsonLine = (e: StreamEvent, elapsedMs: number): string =>
  JSON.stringify({ event: e.event, elapsedMs: Math.round(elapsedMs), data: e.data })

/** `3 of 3 outputs succeeded in 503 ms` / `2 of 3 outputs succeeded, 1 failed in 60 ms`. */
export const formatSummary = (result: BatchResponse, elapsedMs: number): string => {
  const ok = Object.keys(result.outputs).length
  const failed = Object.keys(result.errors).length
  const total = ok + failed
  const failures = failed === 0 ? "" : `, ${failed} failed`
  return `${ok} of ${total} ${total === 1 ? "output" : "outputs"} succeeded${failures} in ${Math.round(elapsedMs)} ms`
}
