/**
 * Helpers for the client tests against a real server: reading `/metrics`
 * and waiting for a condition with a generous bound.
 */

/**
 * One value of the server's Prometheus text, e.g. `constellation_modules_interrupted_total`;
 * `absent` when the sample is not there yet (a labelled counter appears with its first count).
 */
export const metric = async (baseUrl: string, name: string, absent?: number): Promise<number> => {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  const line = text.split("\n").find((l) => l.startsWith(`${name} `))
  if (line === undefined && absent !== undefined) return absent
  if (line === undefined) throw new Error(`no metric ${name}`)
  return Number(line.slice(name.length + 1))
}

/** Polls `check` every 10 ms for at most `ms`; returns how long it took. */
export const within = async (ms: number, check: () => Promise<boolean>): Promise<number> => {
  const start = performance.now()
  while (performance.now() - start < ms) {
    if (await check()) return performance.now() - start
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`not within ${ms} ms`)
}

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
