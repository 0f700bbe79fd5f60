/**
 * What can be told of an event without its Schema: the wire's event
 * names, whether an event is the last, whether an `error` ends the whole
 * execution, whether a WebSocket frame is a refusal, and the runtime event
 * a wire event stands for. Nothing here imports Schema (type imports
 * aside), so the Promise client, which checks payloads against generated
 * shapes, takes these without pulling Schema into a browser's bundle;
 * `events.ts` and `frames.ts` re-export them.
 *
 * @since 0.2.0
 */
import type { ExecutionEvent } from "../runtime/ExecutionEvent.js"
import type { ExecutionErrorData, OutputErrorData, StreamEvent } from "./events.js"

/**
 * Every event name of the wire, in the order of `eventSchemas`
 * (`events.ts`, whose keys are checked against this list).
 *
 * @since 0.1.0
 */
export const eventNames = [
  "output",
  "complete",
  "error",
  "module-started",
  "module-completed",
  "module-failed",
  "module-skipped",
  "module-retrying",
  "progress"
] as const

/** The name of an event on the wire. @since 0.1.0 @category models */
export type EventName = typeof eventNames[number]

const known: ReadonlySet<string> = new Set(eventNames)

/** Whether `name` is an event name of the wire (a newer server may send others). @since 0.2.0 @category guards */
export const isEventName = (name: string): name is EventName => known.has(name)

/**
 * Whether this is the execution's last event (`isFinal: true`): nothing
 * follows it.
 *
 * @since 0.1.0
 * @category guards
 */
export const isFinal = (e: StreamEvent): boolean =>
  (e.event === "output" || e.event === "complete" || e.event === "error") && e.data.isFinal

/**
 * Whether an `error` event ends the whole execution (a deadline, a
 * shutdown, a cancel) rather than reporting one failed output.
 *
 * @since 0.1.0
 * @category guards
 */
export const isExecutionError = (data: OutputErrorData | ExecutionErrorData): data is ExecutionErrorData =>
  "missing" in data

/**
 * Whether a WebSocket frame is a refusal (`frames.ts`'s `RefusalFrame`)
 * rather than an event of a running execution (which carries its
 * `executionId`).
 *
 * @since 0.2.0
 * @category guards
 */
export const isRefusal = (frame: Readonly<Record<string, unknown>>): boolean =>
  frame["type"] === "error" && !("executionId" in frame)

/**
 * The runtime event a wire event stands for (`toWire`'s inverse), so a
 * client folds events by the same rules as the server.
 *
 * @since 0.2.0
 * @category decoding
 */
export const fromWire = (e: StreamEvent): ExecutionEvent => {
  switch (e.event) {
    case "output":
    case "complete":
      return { _tag: "Output", ...e.data }
    case "error":
      return "missing" in e.data ? { _tag: "ExecutionFailed", ...e.data } : { _tag: "OutputFailed", ...e.data }
    case "module-started":
      return { _tag: "ModuleStarted", ...e.data }
    case "module-completed":
      return { _tag: "ModuleCompleted", ...e.data }
    case "module-failed":
      return { _tag: "ModuleFailed", ...e.data }
    case "module-skipped":
      return { _tag: "ModuleSkipped", ...e.data }
    case "module-retrying":
      return { _tag: "ModuleRetrying", ...e.data }
    case "progress":
      return { _tag: "Progress", ...e.data }
  }
}
