/**
 * Helpers for the client tests against a real server: reading `/metrics`
 * and waiting for a condition with a generous bound.
 */

export { metric, within } from "../support/metrics.js"

/** What a failed promise rejected with. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("expected a rejection")
}

/** What a failed promise rejected with, checked to be an instance of `type`. */
export const rejectsWith = async <E>(promise: Promise<unknown>, type: new (...args: ReadonlyArray<never>) => E): Promise<E> => {
  const error = await rejectionOf(promise)
  if (!(error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(error)}`)
  return error
}

/** Module bodies interrupted by a cancel, a disconnect, a deadline or a shutdown. */
export const INTERRUPTED_METRIC = "constellation_modules_interrupted_total"
/** SSE clients that went away before their final event. */
export const SSE_DISCONNECTS = "constellation_client_disconnects_total{transport=\"sse\"}"
