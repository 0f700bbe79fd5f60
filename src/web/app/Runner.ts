/**
 * Runs a pipeline from the page, streaming or batch, and keeps its
 * `RunState` up to date as events arrive. Cancel aborts the request, which
 * closes the connection and so stops the execution on the server. One run
 * at a time: starting another cancels the current one.
 */
import type { ConstellationClient } from "../../client/index.js"
import type { Value } from "../../lang/value.js"
import { describeError } from "./api.js"
import * as Run from "./runState.js"
import type { RunMode, RunShape, RunState } from "./runState.js"

export interface RunRequest {
  readonly source: string
  readonly inputs: Readonly<Record<string, Value>>
}

export interface Runner {
  readonly start: (mode: RunMode, request: RunRequest, shape: RunShape) => void
  readonly cancel: () => void
  readonly isRunning: () => boolean
  /** Called on every change, and every 100 ms while a run goes on (for clocks). */
  readonly onChange: (listener: (run: RunState | undefined, elapsedMs: number) => void) => void
  /** Called once when a run ends, however it ends. */
  readonly onFinish: (listener: (run: RunState) => void) => void
}

const TICK_MS = 100

export const makeRunner = (client: Pick<ConstellationClient, "stream" | "execute">): Runner => {
  const changeListeners: Array<(run: RunState | undefined, elapsedMs: number) => void> = []
  const finishListeners: Array<(run: RunState) => void> = []
  let current: { state: RunState; readonly controller: AbortController; readonly startedAt: number } | undefined
  let ticker: ReturnType<typeof setInterval> | undefined

  const elapsed = () => (current === undefined ? 0 : performance.now() - current.startedAt)
  const emit = () => {
    for (const l of changeListeners) l(current?.state, elapsed())
  }

  const drive = async (run: NonNullable<typeof current>, mode: RunMode, request: RunRequest) => {
    const signal = run.controller.signal
    const set = (next: RunState) => {
      // After a cancel, events already read from the connection are dropped.
      if (current !== run || run.state.phase !== "running") return
      run.state = next
      emit()
    }
    try {
      if (mode === "stream") {
        for await (const e of client.stream({ ...request, progress: true }, { signal })) set(Run.applyEvent(run.state, e, elapsed()))
      } else {
        set(Run.applyBatch(run.state, await client.execute(request, { signal }), elapsed()))
      }
      if (run.state.phase === "running") set(Run.fail(run.state, elapsed(), "The stream ended before its final event."))
    } catch (error) {
      if (run.state.phase === "running") set(signal.aborted ? Run.cancel(run.state, elapsed()) : Run.fail(run.state, elapsed(), describeError(error)))
    } finally {
      if (current === run) {
        clearInterval(ticker)
        for (const l of finishListeners) l(run.state)
      }
    }
  }

  const cancel = () => {
    if (current === undefined || current.state.phase !== "running") return
    current.state = Run.cancel(current.state, elapsed())
    current.controller.abort()
    clearInterval(ticker)
    emit()
  }

  const start = (mode: RunMode, request: RunRequest, shape: RunShape) => {
    cancel()
    const run = { state: Run.start(shape, mode), controller: new AbortController(), startedAt: performance.now() }
    current = run
    clearInterval(ticker)
    ticker = setInterval(emit, TICK_MS)
    emit()
    void drive(run, mode, request)
  }

  return {
    start,
    cancel,
    isRunning: () => current?.state.phase === "running",
    onChange: (l) => changeListeners.push(l),
    onFinish: (l) => finishListeners.push(l)
  }
}
