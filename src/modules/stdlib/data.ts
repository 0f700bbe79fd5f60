/**
 * Number and list modules of the standard library: pure functions, run by
 * the runtime directly, the moment their inputs exist.
 */
import { Schema } from "effect"
import { groupDigits } from "../../lang/groupDigits.js"
import * as Module from "../Module.js"
import { ModuleError } from "../ModuleError.js"

/** The most elements `Range` makes. */
export const MAX_RANGE = 1_000_000

const Numbers = Schema.Array(Schema.Number)

const emptyList = (name: string) => new ModuleError({ code: "empty_list", message: `${name}: the list is empty` })

const overflow = (name: string) =>
  new ModuleError({ code: "float_overflow", message: `${name}: the result is too large for a Float` })

/** A Float result that left the finite range (1e308 + 1e308) is a failure, not an Infinity. */
const finite = (name: string, n: number): number | ModuleError => (Number.isFinite(n) ? n : overflow(name))

const sum = (numbers: ReadonlyArray<number>): number => {
  let total = 0
  for (const n of numbers) total += n
  return total
}

/** The element that beats every other; a loop, since `Math.max(...xs)` overflows the stack on long lists. */
const extreme = (numbers: ReadonlyArray<number>, beats: (a: number, b: number) => boolean): number | undefined => {
  let best: number | undefined
  for (const n of numbers) if (best === undefined || beats(n, best)) best = n
  return best
}

export const SumList = Module.sync({
  name: "SumList",
  description: "Returns the sum of the numbers; 0 for an empty list. Fails with float_overflow when the sum is too large for a Float.",
  params: { numbers: Numbers },
  result: Schema.Number,
  run: ({ numbers }) => finite("SumList", sum(numbers))
})

export const Average = Module.sync({
  name: "Average",
  description: "Returns the arithmetic mean of the numbers. Fails with empty_list when the list is empty.",
  params: { numbers: Numbers },
  result: Schema.Number,
  run: ({ numbers }) => {
    if (numbers.length === 0) return emptyList("Average")
    const mean = sum(numbers) / numbers.length
    // The sum may overflow where the mean does not: divide first.
    return Number.isFinite(mean) ? mean : finite("Average", sum(numbers.map((n) => n / numbers.length)))
  }
})

export const Max = Module.sync({
  name: "Max",
  description: "Returns the largest of the numbers. Fails with empty_list when the list is empty.",
  params: { numbers: Numbers },
  result: Schema.Number,
  run: ({ numbers }) => extreme(numbers, (a, b) => a > b) ?? emptyList("Max")
})

export const Min = Module.sync({
  name: "Min",
  description: "Returns the smallest of the numbers. Fails with empty_list when the list is empty.",
  params: { numbers: Numbers },
  result: Schema.Number,
  run: ({ numbers }) => extreme(numbers, (a, b) => a < b) ?? emptyList("Min")
})

export const FilterGreaterThan = Module.sync({
  name: "FilterGreaterThan",
  description: "Returns the numbers strictly greater than the threshold, in their original order.",
  params: { numbers: Numbers, threshold: Schema.Number },
  result: Numbers,
  run: ({ numbers, threshold }) => numbers.filter((n) => n > threshold)
})

export const MultiplyEach = Module.sync({
  name: "MultiplyEach",
  description: "Returns every number multiplied by the factor. Fails with float_overflow when a product is too large for a Float.",
  params: { numbers: Numbers, factor: Schema.Number },
  result: Numbers,
  run: ({ numbers, factor }) => {
    const products = numbers.map((n) => n * factor)
    return products.every(Number.isFinite) ? products : overflow("MultiplyEach")
  }
})

export const Range = Module.sync({
  name: "Range",
  description:
    `Returns the integers from start up to but not including end: Range(1, 4) gives [1, 2, 3]; empty when end <= start. Fails with range_too_large above ${groupDigits(MAX_RANGE)} elements.`,
  params: { start: Module.Int, end: Module.Int },
  result: Schema.Array(Module.Int),
  run: ({ start, end }) => {
    if (end <= start) return []
    if (end - start > MAX_RANGE) {
      return new ModuleError({
        code: "range_too_large",
        message: `Range: ${start} to ${end} has ${end - start} elements; the most is ${MAX_RANGE}`
      })
    }
    return Array.from({ length: end - start }, (_, i) => start + i)
  }
})

export const FormatNumber = Module.sync({
  name: "FormatNumber",
  description:
    "Formats the number with exactly `decimals` digits after the point (2 when left out), rounding (JavaScript toFixed): FormatNumber(3.14159, 2) gives \"3.14\". decimals must be 0 to 20, else invalid_argument.",
  params: { number: Schema.Number, decimals: Module.Int },
  defaults: { decimals: 2 },
  result: Schema.String,
  run: ({ number, decimals }) =>
    decimals < 0 || decimals > 20
      ? new ModuleError({ code: "invalid_argument", message: `FormatNumber: decimals must be from 0 to 20, got ${decimals}` })
      : number.toFixed(decimals)
})

/** The data modules, in the order they are documented. */
export const dataModules: ReadonlyArray<Module.Module<never>> = [
  SumList,
  Average,
  Max,
  Min,
  FilterGreaterThan,
  MultiplyEach,
  Range,
  FormatNumber
]
