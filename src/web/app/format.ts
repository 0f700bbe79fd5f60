/**
 * How numbers of milliseconds, pipeline values and long labels are written
 * on the page.
 */
import type { Value } from "../../lang/value.js"

/** `4 ms`, `52 ms`, `1.25 s`. */
export const formatMs = (ms: number): string =>
  ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`

/** A value as compact JSON, cut after `max` characters. */
export const formatValue = (value: Value, max = 400): string => {
  const text = JSON.stringify(value) ?? "null"
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** `text`, or its first `max - 1` characters and `…`. */
export const shorten = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

/** `1 module`, `3 modules`. */
export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`
