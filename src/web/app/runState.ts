/**
 * What the page knows about one run, as a pure value: every module's
 * status and times, every output's value or error with when it arrived,
 * the progress, and how the run ended. Events from the stream (or the
 * batch answer) are folded into it; the views only read it.
 *
 * Times are milliseconds since the user pressed Run, on the page's clock.
 * Module events carry the server's clock; `clockOffset` maps one onto the
 * other (the largest `serverTimestamp - receivedAt` seen, since an event
 * is never received before it was sent).
 */
import { isFinal } from "../../client/StreamEvent.js"
import type { BatchResponse, ErrorInfo, StreamEvent, Value } from "../../client/index.js"

export type NodeStatus = "idle" | "queued" | "running" | "done" | "failed" | "skipped" | "cancelled"
export type RunMode = "stream" | "batch"
export type RunPhase = "running" | "completed" | "partial" | "failed" | "cancelled"

export interface ModuleRun {
  readonly node: number
  readonly module: string
  readonly status: NodeStatus
  /** Server timestamps (epoch ms) of the first start and of the outcome. */
  readonly startedTs: number | undefined
  readonly endedTs: number | undefined
  readonly latencyMs: number | undefined
  /** 1, then 2 after the first retry ... */
  readonly attempt: number
  readonly error: ErrorInfo | undefined
  readonly skippedBecause: string | undefined
}

export interface OutputRun {
  readonly name: string
  readonly status: "waiting" | "done" | "failed" | "cancelled"
  readonly value: Value | undefined
  readonly error: ErrorInfo | undefined
  /** When it arrived, in ms since the run started. */
  readonly atMs: number | undefined
  /** The value is a module's `fallback`, used after every attempt failed. */
  readonly fromFallback: boolean
}

export interface RunState {
  readonly mode: RunMode
  readonly phase: RunPhase
  readonly executionId: string | undefined
  /** Indexed by module node id. */
  readonly modules: ReadonlyArray<ModuleRun>
  /** In declaration order. */
  readonly outputs: ReadonlyArray<OutputRun>
  readonly progress: { readonly completed: number; readonly total: number }
  readonly clockOffset: number | undefined
  readonly firstOutputMs: number | undefined
  readonly finishedMs: number | undefined
  /** Why the whole run failed or stopped. */
  readonly message: string | undefined
}

/** What a run needs to know about its pipeline. */
export interface RunShape {
  readonly modules: ReadonlyArray<{ readonly node: number; readonly module: string }>
  readonly outputs: ReadonlyArray<string>
}

/** A run that has just been started. Batch runs do not observe modules, so theirs stay idle. */
export const start = (shape: RunShape, mode: RunMode): RunState => ({
  mode,
  phase: "running",
  executionId: undefined,
  modules: [...shape.modules].sort((a, b) => a.node - b.node).map((m) => ({
    node: m.node,
    module: m.module,
    status: mode === "stream" ? "queued" : "idle",
    startedTs: undefined,
    endedTs: undefined,
    latencyMs: undefined,
    attempt: 1,
    error: undefined,
    skippedBecause: undefined
  })),
  outputs: shape.outputs.map((name) => ({ name, status: "waiting", value: undefined, error: undefined, atMs: undefined, fromFallback: false })),
  progress: { completed: 0, total: shape.modules.length },
  clockOffset: undefined,
  firstOutputMs: undefined,
  finishedMs: undefined,
  message: undefined
})

const updateModule = (s: RunState, node: number, f: (m: ModuleRun) => ModuleRun): RunState =>
  ({ ...s, modules: s.modules.map((m) => (m.node === node ? f(m) : m)) })

const updateOutput = (s: RunState, name: string, f: (o: OutputRun) => OutputRun): RunState =>
  ({ ...s, outputs: s.outputs.map((o) => (o.name === name ? f(o) : o)) })

const arrived = (s: RunState, atMs: number): RunState =>
  ({ ...s, firstOutputMs: s.firstOutputMs ?? atMs })

/** The phase of a run whose every output is settled. */
const settledPhase = (outputs: ReadonlyArray<OutputRun>): RunPhase => {
  const failed = outputs.filter((o) => o.status === "failed").length
  return failed === 0 ? "completed" : failed === outputs.length ? "failed" : "partial"
}

/** Stops what is still pending: queued or running modules and waiting outputs become cancelled. */
const stopPending = (s: RunState): RunState => ({
  ...s,
  modules: s.modules.map((m) => (m.status === "queued" || m.status === "running" ? { ...m, status: "cancelled" } : m)),
  outputs: s.outputs.map((o) => (o.status === "waiting" ? { ...o, status: "cancelled" } : o))
})

const finish = (s: RunState, atMs: number, phase: RunPhase, message?: string): RunState =>
  ({ ...stopPending(s), phase, finishedMs: atMs, message })

/** Folds one stream event, received `atMs` after the run started. */
export const applyEvent = (state: RunState, e: StreamEvent, atMs: number): RunState => {
  const timestamp = "timestamp" in e.data ? e.data.timestamp : undefined
  let s: RunState = {
    ...state,
    executionId: state.executionId ?? e.data.executionId,
    clockOffset: timestamp === undefined ? state.clockOffset : Math.max(state.clockOffset ?? -Infinity, timestamp - atMs)
  }
  switch (e.event) {
    case "module-started":
      s = updateModule(s, e.data.node, (m) => ({ ...m, status: "running", startedTs: m.startedTs ?? e.data.timestamp }))
      break
    case "module-retrying":
      s = updateModule(s, e.data.node, (m) => ({ ...m, status: "running", attempt: e.data.attempt, error: e.data.error }))
      break
    case "module-completed":
      s = updateModule(s, e.data.node, (m) =>
        ({ ...m, status: "done", endedTs: e.data.timestamp, latencyMs: e.data.latencyMs, error: undefined }))
      break
    case "module-failed":
      s = updateModule(s, e.data.node, (m) =>
        ({ ...m, status: "failed", endedTs: e.data.timestamp, latencyMs: e.data.latencyMs, error: e.data.error }))
      break
    case "module-skipped":
      s = updateModule(s, e.data.node, (m) => ({ ...m, status: "skipped", endedTs: e.data.timestamp, skippedBecause: e.data.reason }))
      break
    case "progress":
      s = { ...s, progress: { completed: e.data.completed, total: e.data.total } }
      break
    case "output":
    case "complete":
      s = arrived(updateOutput(s, e.data.name, (o) =>
        ({ ...o, status: "done", value: e.data.value, atMs, fromFallback: e.data.fromFallback === true })), atMs)
      break
    case "error": {
      const data = e.data
      if ("missing" in data) return finish(s, atMs, "failed", `${data.error.message} (${data.error.code})`)
      s = arrived(updateOutput(s, data.name, (o) => ({ ...o, status: "failed", error: data.error, atMs })), atMs)
      break
    }
  }
  return isFinal(e) ? finish(s, atMs, settledPhase(s.outputs)) : s
}

/** Folds the answer of a batch run, received `atMs` after it started. */
export const applyBatch = (state: RunState, answer: BatchResponse, atMs: number): RunState => {
  const outputs = state.outputs.map((o): OutputRun => {
    const error = answer.errors[o.name]
    if (error !== undefined) return { ...o, status: "failed", error, atMs }
    const fromFallback = answer.outputStatus?.[o.name] === "fallback"
    return o.name in answer.outputs ? { ...o, status: "done", value: answer.outputs[o.name] ?? null, atMs, fromFallback } : o
  })
  const s: RunState = { ...state, executionId: answer.executionId, outputs, firstOutputMs: atMs }
  return finish(s, atMs, settledPhase(outputs))
}

/** The user cancelled the run. */
export const cancel = (state: RunState, atMs: number): RunState => finish(state, atMs, "cancelled", "Cancelled")

/** The request failed (the server refused it, or the connection broke). */
export const fail = (state: RunState, atMs: number, message: string): RunState => finish(state, atMs, "failed", message)

/** A server timestamp as milliseconds since the run started. */
export const sinceStart = (state: RunState, timestamp: number): number => timestamp - (state.clockOffset ?? timestamp)
