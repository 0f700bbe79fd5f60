/**
 * What can end an execution before its last output (a deadline, a `stop`
 * effect, an aborted `signal`), watched without a fiber wherever it can be:
 * on the live clock a deadline is a timer, a signal a listener. Under
 * another clock (TestClock) a deadline sleeps on that clock in a fiber, so
 * tests drive it in virtual time.
 */
import { Duration, Effect } from "effect"
import type { Clock } from "effect"
import type { ExecutionOptions } from "../Execution.js"
import type { ErrorInfo } from "../ExecutionEvent.js"

/** The clock fibers use unless a `TestClock` or another clock replaces it. */
const liveClock: Clock.Clock = Effect.runSync(Effect.clock)

/** setTimeout's longest delay; a longer deadline waits on the clock in a fiber. */
const MAX_TIMER_MS = 2 ** 31 - 1

const isErrorInfo = (u: unknown): u is ErrorInfo =>
  typeof u === "object" && u !== null && typeof (u as { code?: unknown }).code === "string" &&
  typeof (u as { message?: unknown }).message === "string"

/** Why an aborted signal stopped an execution: its reason when that is an `ErrorInfo`, else `cancelled`. */
const abortError = (reason: unknown): ErrorInfo =>
  isErrorInfo(reason)
    ? { code: reason.code, message: reason.message, module: typeof reason.module === "string" ? reason.module : null }
    : { code: "cancelled", message: "the execution was cancelled", module: null }

const deadlineError = (d: Duration.Duration): ErrorInfo => ({
  code: "deadline_exceeded",
  message: `the execution did not finish within its deadline of ${Duration.format(d)}`,
  module: null
})

/**
 * Calls `stop` (at most once per source) when one of the options says the
 * execution must end; `fork` runs the watchers that need a fiber. Returns
 * what unwatches the timer and the listener (fibers are the caller's).
 */
export const watchStops = (
  options: Pick<ExecutionOptions, "deadline" | "stop" | "signal">,
  clock: Clock.Clock,
  fork: (watcher: Effect.Effect<void>) => void,
  stop: (error: ErrorInfo) => void
): (() => void) => {
  let timer: ReturnType<typeof setTimeout> | undefined
  let unlisten: (() => void) | undefined
  const { deadline, signal } = options
  if (deadline !== undefined) {
    const d = Duration.decode(deadline)
    const ms = Duration.toMillis(d)
    if (clock === liveClock && ms <= MAX_TIMER_MS) timer = setTimeout(() => stop(deadlineError(d)), ms)
    else if (Duration.isFinite(d)) fork(Effect.andThen(Effect.sleep(d), () => stop(deadlineError(d))))
  }
  if (options.stop !== undefined) fork(Effect.andThen(options.stop, stop))
  if (signal !== undefined) {
    const onAbort = () => stop(abortError(signal.reason))
    if (signal.aborted) onAbort()
    else {
      signal.addEventListener("abort", onAbort, { once: true })
      unlisten = () => signal.removeEventListener("abort", onAbort)
    }
  }
  return () => {
    if (timer !== undefined) clearTimeout(timer)
    unlisten?.()
  }
}
