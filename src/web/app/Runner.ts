/**
 * Runs a pipeline from the page, streaming or batch, or follows one
 * already running (`attach`, after a reload or in a second tab), and keeps
 * its `RunState` up to date as events arrive. Cancel aborts the request,
 * which stops the execution on the server (an attached one by asking the
 * server to cancel it). One run at a time: starting another cancels the
 * current one.
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
  /** Follows the execution `executionId` from what it has sent so far. */
  readonly attach: (executionId: string, shape: RunShape) => void
  readonly cancel: () => void
  readonly isRunning: () => boolean
  /** Called on every change, and every 100 ms while a run goes on (for clocks). */
  readonly onChange: (listener: (run: RunState | undefined, elapsedMs: number) => void) => void
  /** Called once when a run ends, however it ends. */
  readonly onFinish: (listener: (run: RunState) => void) => void
}

const TICK_MS = 100

/** What a run reads: a pipeline to stream or run as a batch, or an execution to follow. */
type Source =
  | { readonly _tag: "Run"; readonly mode: RunMode; readonly request: RunRequest }
  | { readonly _tag: "Attach"; readonly executionId: string }

export const makeRunner = (client: Pick<ConstellationClient, "stream" | "execute" | "attach" | "cancel">): Runner => {
  const changeListeners: Array<(run: RunState | undefined, elapsedMs: number) => void> = []
  const finishListeners: Array<(run: RunState) => void> = []
  let current: { state: RunState; readonly controller: AbortController; readonly startedAt: number; readonly source: Source } | undefined
  let ticker: ReturnType<typeof setInterval> | undefined

  const elapsed = () => (current === undefined ? 0 : performance.now() - current.startedAt)
  const emit = () => {
    for (const l of changeListeners) l(current?.state, elapsed())
  }

  const drive = async (run: NonNullable<typeof current>) => {
    const signal = run.controller.signal
    const set = (next: RunState) => {
      // After a cancel, events already read from the connection are dropped.
      if (current !== run || run.state.phase !== "running") return
      run.state = next
      emit()
    }
    try {
      const source = run.source
      if (source._tag === "Attach" || source.mode === "stream") {
        const events = source._tag === "Attach"
          ? client.attach(source.executionId, { signal })
          : client.stream({ ...source.request, progress: true }, { signal })
        for await (const e of events) set(Run.applyEvent(run.state, e, elapsed()))
      } else {
        set(Run.applyBatch(run.state, await client.execute(source.request, { signal }), elapsed()))
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
    // Leaving a followed execution leaves it running: stopping it is asked for.
    if (current.source._tag === "Attach") client.cancel(current.source.executionId).catch(() => undefined)
    clearInterval(ticker)
    emit()
  }

  const begin = (source: Source, shape: RunShape) => {
    cancel()
    const mode = source._tag === "Run" ? source.mode : "stream"
    const run = { state: Run.start(shape, mode), controller: new AbortController(), startedAt: performance.now(), source }
    current = run
    clearInterval(ticker)
    ticker = setInterval(emit, TICK_MS)
    emit()
    void drive(run)
  }

  return {
    start: (mode, request, shape) => begin({ _tag: "Run", mode, request }, shape),
    attach: (executionId, shape) => begin({ _tag: "Attach", executionId }, shape),
    cancel,
    isRunning: () => current?.state.phase === "running",
    onChange: (l) => changeListeners.push(l),
    onFinish: (l) => finishListeners.push(l)
  }
}
