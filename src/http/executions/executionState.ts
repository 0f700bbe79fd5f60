/**
 * What `GET /executions` and `GET /executions/{id}` say of a kept
 * execution: the batch result's fold of its log so far, with `running` and
 * `pending` until the end, how it runs, and its timings.
 */
import { foldResult, statusOf } from "../../runtime/foldResult.js"
import type { ExecutionState, ExecutionSummary, OutputProgress } from "../../protocol/executions.js"
import type { RetainedExecution } from "./Retained.js"

const iso = (ms: number): string => new Date(ms).toISOString()

/** The state of `e` at `now` (epoch milliseconds). */
export const stateOf = (e: RetainedExecution, now: number): ExecutionState => {
  const { log } = e
  const end = e.finishedAt ?? now
  const result = foldResult(log.executionId, log.outputs, log.resultEvents(), end - e.startedAt)
  const running = !log.finished
  // Through a Map: an output may be named `__proto__`.
  const status = new Map<string, OutputProgress>(Object.entries(result.outputStatus))
  if (running) for (const name of log.outputs) if (!log.published(name)) status.set(name, "pending")
  return {
    executionId: e.executionId,
    status: running ? "running" : result.status,
    outputs: result.outputs,
    errors: result.errors,
    outputStatus: Object.fromEntries(status),
    mode: e.mode,
    onDisconnect: e.onDisconnect,
    subscribers: e.subscribers,
    startedAt: iso(e.startedAt),
    finishedAt: e.finishedAt === undefined ? null : iso(e.finishedAt),
    durationMs: result.durationMs,
    lastSeq: log.lastSeq
  }
}

/** One line of the list. */
export const summaryOf = (e: RetainedExecution): ExecutionSummary => {
  const { log } = e
  return {
    executionId: e.executionId,
    status: log.finished ? statusOf(log.succeeded, log.outputs.length) : "running",
    mode: e.mode,
    startedAt: iso(e.startedAt),
    finishedAt: e.finishedAt === undefined ? null : iso(e.finishedAt),
    outputs: log.outputs.length,
    succeeded: log.succeeded
  }
}
