/**
 * The size of a type written out, in parts (each name, list, optional,
 * record and field counts one). Types share their parts, so a record built
 * from a record twice (`{a: r, b: r}`) is small in memory but twice as
 * large written out: a few lines can make a type too large to print, hash
 * or send. Sizes are remembered per type object, so measuring costs only
 * the distinct parts.
 */
import type { Type } from "../types.js"
import { groupDigits } from "../groupDigits.js"

/** The largest a single type may be. */
export const MAX_TYPE_SIZE = 10_000
/** The largest the types of a pipeline's inputs and values may be together. */
export const MAX_TOTAL_TYPE_SIZE = 200_000

const sizes = new WeakMap<Type, number>()

/** The written-out size of `t`, or `MAX_TOTAL_TYPE_SIZE + 1` for anything larger. */
export const typeSize = (t: Type): number => {
  const known = sizes.get(t)
  if (known !== undefined) return known
  let size = 1
  switch (t._tag) {
    case "Record":
      for (const [, field] of t.fields) size += 1 + typeSize(field)
      break
    case "List":
      size += typeSize(t.element)
      break
    case "Optional":
      size += typeSize(t.inner)
      break
    case "Map":
      size += typeSize(t.key) + typeSize(t.value)
      break
    case "Union":
      for (const m of t.members) size += typeSize(m)
      break
    default:
      break
  }
  const capped = Math.min(size, MAX_TOTAL_TYPE_SIZE + 1)
  sizes.set(t, capped)
  return capped
}

/** The message of a type over `MAX_TYPE_SIZE`. */
export const tooLargeMessage = (what: string): string =>
  `${what} is too large: written out, it would have more than ${groupDigits(MAX_TYPE_SIZE)} parts. Records built from the same record twice double in size at each step.`
