/**
 * `stdlib.list`: list functions of the original standard library. The
 * original types them on `List<Int>`; here they take a list of any element
 * type `T` (so they accept everything the original's do), except
 * `list-sum`, which adds Ints.
 */
import { Schema } from "effect"
import type { Value } from "../../../lang/value.js"
import * as Module from "../../Module.js"
import { typeVariable } from "../../typeFromSchema.js"
import { emptyList, safeInt } from "./errors.js"

const T = typeVariable("T")
const ListT = Schema.Array(T)

/** Structural equality of two values (JSON): records field by field, whatever the field order. */
const equals = (a: Value, b: Value): boolean => {
  if (a === b) return true
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x: Value, i: number) => equals(x, (b as ReadonlyArray<Value>)[i] ?? null))
  }
  const ra = a as { readonly [k: string]: Value }
  const rb = b as { readonly [k: string]: Value }
  const keys = Object.keys(ra)
  return keys.length === Object.keys(rb).length && keys.every((k) => Object.hasOwn(rb, k) && equals(ra[k] ?? null, rb[k] ?? null))
}

export const listLength = Module.sync({
  name: "stdlib.list.list-length",
  description: "Returns the number of elements of the list.",
  params: { list: ListT },
  result: Module.Int,
  run: ({ list }) => list.length
})

export const listFirst = Module.sync({
  name: "stdlib.list.list-first",
  description: "Returns the first element of the list. Fails with empty_list when the list is empty.",
  params: { list: ListT },
  result: T,
  run: ({ list }) => (list.length === 0 ? emptyList("stdlib.list.list-first") : list[0])
})

export const listLast = Module.sync({
  name: "stdlib.list.list-last",
  description: "Returns the last element of the list. Fails with empty_list when the list is empty.",
  params: { list: ListT },
  result: T,
  run: ({ list }) => (list.length === 0 ? emptyList("stdlib.list.list-last") : list[list.length - 1])
})

export const listIsEmpty = Module.sync({
  name: "stdlib.list.list-is-empty",
  description: "Returns whether the list has no elements.",
  params: { list: ListT },
  result: Schema.Boolean,
  run: ({ list }) => list.length === 0
})

export const listSum = Module.sync({
  name: "stdlib.list.list-sum",
  description: "Returns the sum of the Ints; 0 for an empty list. Fails with int_overflow when the sum is outside the range of Int.",
  params: { list: Schema.Array(Module.Int) },
  result: Module.Int,
  run: ({ list }) => {
    let total = 0
    for (const n of list) {
      total += n
      // Checked at every step: once past 2^53 a sum is no longer exact, and could come back into range wrong.
      if (!Number.isSafeInteger(total)) return safeInt("stdlib.list.list-sum", "the sum", total)
    }
    return total
  }
})

export const listConcat = Module.sync({
  name: "stdlib.list.list-concat",
  description: "Returns the elements of a followed by those of b.",
  params: { a: ListT, b: ListT },
  result: ListT,
  run: ({ a, b }) => [...a, ...b]
})

export const listContains = Module.sync({
  name: "stdlib.list.list-contains",
  description: "Returns whether an element of the list equals the value (records are equal when all their fields are).",
  params: { list: ListT, value: T },
  result: Schema.Boolean,
  run: ({ list, value }) => list.some((x) => equals(x as Value, value as Value))
})

export const listReverse = Module.sync({
  name: "stdlib.list.list-reverse",
  description: "Returns the elements of the list in reverse order.",
  params: { list: ListT },
  result: ListT,
  run: ({ list }) => [...list].reverse()
})

/** `stdlib.list`, in the order the reference lists it. */
export const listModules: ReadonlyArray<Module.Module<never>> = [
  listLength,
  listFirst,
  listLast,
  listIsEmpty,
  listSum,
  listConcat,
  listContains,
  listReverse
]
