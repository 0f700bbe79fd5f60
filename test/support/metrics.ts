/**
 * Reading a server's `GET /metrics` in tests, and waiting for a condition
 * with a generous bound: one implementation for every suite.
 */

/**
 * One sample of a Prometheus text, e.g. `constellation_active_executions`
 * or `x{transport="sse"}`; `absent` when it is not there (a labelled
 * counter appears with its first count), else an error.
 */
export const sample = (text: string, name: string, absent?: number): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `))
  if (line !== undefined) return Number(line.slice(name.length + 1))
  if (absent !== undefined) return absent
  throw new Error(`no metric ${name}`)
}

/** One sample of the server at `baseUrl`'s `/metrics` (see `sample`). */
export const metric = async (baseUrl: string, name: string, absent?: number): Promise<number> =>
  sample(await (await fetch(`${baseUrl}/metrics`)).text(), name, absent)

/** Polls `check` every 10 ms for at most `ms`; returns how long it took. */
export const within = async (ms: number, check: () => Promise<boolean>): Promise<number> => {
  const start = performance.now()
  while (performance.now() - start < ms) {
    if (await check()) return performance.now() - start
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`not within ${ms} ms`)
}
