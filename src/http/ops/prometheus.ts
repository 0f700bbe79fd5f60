/**
 * The Prometheus text exposition format (version 0.0.4): `# HELP`, `# TYPE`
 * and one line per sample.
 */

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

export type Labels = Readonly<Record<string, string>>

export interface Sample {
  readonly labels?: Labels
  readonly value: number
}

export interface HistogramData {
  /** Upper bounds, ascending; `+Inf` is added. */
  readonly buckets: ReadonlyArray<number>
  /** Observations per bucket (not cumulative), one more than `buckets` for `+Inf`. */
  readonly counts: ReadonlyArray<number>
  readonly sum: number
  readonly count: number
}

const escapeLabel = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n")

const formatLabels = (labels: Labels | undefined): string => {
  const entries = Object.entries(labels ?? {})
  return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`
}

const formatValue = (n: number): string =>
  Number.isNaN(n) ? "NaN" : n === Infinity ? "+Inf" : n === -Infinity ? "-Inf" : String(n)

const header = (name: string, help: string, type: string): string => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`

const lines = (name: string, samples: ReadonlyArray<Sample>): string =>
  samples.map((s) => `${name}${formatLabels(s.labels)} ${formatValue(s.value)}\n`).join("")

export const counter = (name: string, help: string, samples: ReadonlyArray<Sample>): string =>
  header(name, help, "counter") + lines(name, samples)

export const gauge = (name: string, help: string, samples: ReadonlyArray<Sample>): string =>
  header(name, help, "gauge") + lines(name, samples)

export const histogram = (name: string, help: string, data: HistogramData): string => {
  let cumulative = 0
  const bucketLines = [...data.buckets, Infinity].map((le, i) => {
    cumulative += data.counts[i] ?? 0
    return `${name}_bucket${formatLabels({ le: formatValue(le) })} ${cumulative}\n`
  })
  return header(name, help, "histogram") + bucketLines.join("") +
    `${name}_sum ${formatValue(data.sum)}\n${name}_count ${data.count}\n`
}
