/** Small helpers shared by the benchmarks: timing, medians, markdown tables. */
import { performance } from "node:perf_hooks"

export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export const percentile = (xs: ReadonlyArray<number>, p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

/** Runs `f` `warmup` times, then `runs` times, and returns each measured duration in ms. */
export const timeRuns = async (runs: number, warmup: number, f: () => Promise<unknown>): Promise<Array<number>> => {
  for (let i = 0; i < warmup; i++) await f()
  const out: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await f()
    out.push(performance.now() - t0)
  }
  return out
}

export const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map((c) => (typeof c === "number" ? fmt(c) : c)).join(" | ")} |`)
  ].join("\n")

export const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))

/** True when the file is run directly (`tsx bench/x.ts`), not imported by bench/run.ts. */
export const isMain = (url: string): boolean => process.argv[1] !== undefined && url.endsWith(process.argv[1].replace(/^.*\/bench\//, "/bench/"))
