/**
 * Pipelines used by the HTTP tests.
 */
import { readFileSync } from "node:fs"

/** An example of `examples/`, by name (e.g. `fan-out`). */
export const example = (name: string): string => readFileSync(new URL(`../../../examples/${name}.cst`, import.meta.url), "utf8")

export const hello = "in text: String\nout upper: String\nupper = Uppercase(text)\n"

/** Three outputs after about 5, 50 and 500 ms. */
export const fanOut = () => example("fan-out")

/** Two outputs: one fails (a negative delay), one succeeds. */
export const partial = "in text: String\nok = Uppercase(text)\nbad = Delay(text, -1)\nout ok\nout bad\n"

/** Runs for 1 s, then outputs. */
export const slow = "in text: String\nlate = SlowApiCall(text)\nout late\n"

/** A quick output, then one after 1 s. */
export const quickThenSlow = "in text: String\nfirst = Uppercase(text)\nlate = SlowApiCall(text)\nout first\nout late\n"
