/**
 * The size of a value as the JSON it would be sent as, estimated in bytes
 * (a string by its length), so an execution can refuse values too large to
 * hold or send. Lists and records may share parts (`[x, x]`): each is
 * measured once and remembered, so the cost stays linear in the distinct
 * parts even when the JSON would be exponentially larger.
 */
import type { Value } from "../../lang/value.js"

const measured = new WeakMap<object, number>()

/** The estimated JSON size of `v`; stops counting (and returns more than `budget`) once over `budget`. */
export const valueSize = (v: Value, budget: number): number => {
  if (typeof v === "string") return v.length + 2
  if (v === null || typeof v !== "object") return 8
  const known = measured.get(v)
  if (known !== undefined) return known
  let total = 2
  if (Array.isArray(v)) {
    for (const x of v as ReadonlyArray<Value>) {
      total += valueSize(x, budget - total) + 1
      if (total > budget) return total
    }
  } else {
    const record = v as { readonly [k: string]: Value }
    for (const k of Object.keys(record)) {
      total += k.length + 4 + valueSize(record[k] as Value, budget - total)
      if (total > budget) return total
    }
  }
  measured.set(v, total)
  return total
}
