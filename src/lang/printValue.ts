/**
 * Prints a value in constellation-lang's own literal syntax: `"text"`,
 * `3`, `2.5`, `true`, `[1, 2]`, `{name: "Ada"}`; a missing Optional is
 * `null`. Used where a value is shown beside a signature (parameter
 * defaults).
 */
import type { Value } from "./value.js"

const FIELD = /^[A-Za-z_](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9_]))*$/

/** A string literal: the language's escapes (`\n \t \" \\ \$`), other characters as they are. */
const printString = (s: string): string =>
  `"${s.replace(/[\\"$\n\t]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\${c}`))}"`

/** The value as a constellation-lang literal. */
export const printValue = (value: Value): string => {
  if (value === null) return "null"
  if (typeof value === "string") return printString(value)
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (Array.isArray(value)) return `[${value.map(printValue).join(", ")}]`
  const record = value as { readonly [field: string]: Value }
  const fields = Object.keys(record).map((k) => `${FIELD.test(k) ? k : printString(k)}: ${printValue(record[k] ?? null)}`)
  return `{${fields.join(", ")}}`
}
