/**
 * The pipelines the loads run, over the standard library.
 */

/** Four outputs after about 0 ms, 40 ms, 500 ms and 1 s: modules are in flight for a second. */
export const slow =
  "in t: String\nquick = Uppercase(t)\nmid = Delay(t, 40)\nslow = SlowQuery(t)\nlate = SlowApiCall(t)\nout quick\nout mid\nout slow\nout late"

/** Eight large outputs (each the input plus a digit), 30 ms apart: a disconnect lands mid-write. */
export const big = [
  "in t: String",
  ...Array.from({ length: 8 }, (_, k) => `b${k} = Delay(Concat(t, "${k}"), ${k * 30})`),
  ...Array.from({ length: 8 }, (_, k) => `out b${k}`)
].join("\n")

/** Forty outputs, 10 ms apart. */
export const many = [
  "in t: String",
  ...Array.from({ length: 40 }, (_, k) => `o${k} = Delay(t, ${k * 10})`),
  ...Array.from({ length: 40 }, (_, k) => `out o${k}`)
].join("\n")

/** One output after `ms`. */
export const after = (ms: number) => `in t: String\nlate = Delay(t, ${Math.round(ms)})\nout late`

/** `n` outputs that are all ready at once, each the input: a stream of `n` events as fast as the client takes them. */
export const wide = (n: number) =>
  ["in t: String", ...Array.from({ length: n }, (_, k) => `o${k} = Delay(t, 0)`), ...Array.from({ length: n }, (_, k) => `out o${k}`)].join("\n")

/** `n` outputs in a chain: each is computed from the one before, so they can only arrive in order. */
export const chain = (n: number) =>
  [
    "in t: String",
    "c0 = Delay(t, 0)",
    ...Array.from({ length: n - 1 }, (_, k) => `c${k + 1} = Delay(c${k}, 0)`),
    ...Array.from({ length: n }, (_, k) => `out c${k}`)
  ].join("\n")
