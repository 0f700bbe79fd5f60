/**
 * The diagnostic for a name that is neither an input nor an assignment,
 * with the two cases a newcomer meets most explained: `null`, which is not
 * a value (E209), and a subtraction written without spaces (`a-b`, one
 * name to the lexer), when the names around the `-` exist.
 */
import { diagnostic } from "../diagnostic.js"
import type { Diagnostic } from "../diagnostic.js"
import type { Span } from "../span.js"
import { didYouMean } from "./suggest.js"

/** Splits longer than this are not searched for a subtraction. */
const MAX_PARTS = 8

/**
 * `a - b` for the name `a-b` when every operand is a known name or a
 * whole number; the reading with the fewest operands is chosen, so `a-b-c`
 * with a name `a-b` reads `a-b - c`.
 */
export const asSubtraction = (name: string, known: ReadonlySet<string>): string | undefined => {
  const parts = name.split("-")
  if (parts.length < 2 || parts.length > MAX_PARTS) return undefined
  const isOperand = (text: string) => known.has(text) || /^\d+$/.test(text)
  let best: Array<string> | undefined
  // Bit i set: a `-` of subtraction between part i and part i + 1; clear: the parts stay one name.
  for (let cuts = 1; cuts < 1 << (parts.length - 1); cuts++) {
    const operands = [parts[0]!]
    for (let i = 1; i < parts.length; i++) {
      if ((cuts & (1 << (i - 1))) !== 0) operands.push(parts[i]!)
      else operands[operands.length - 1] += `-${parts[i]}`
    }
    if (operands.every(isOperand) && (best === undefined || operands.length < best.length)) best = operands
  }
  return best?.join(" - ")
}

/** E209 for `null`, E200 otherwise (with a hint when the name reads as a subtraction or as a typo of a known name). */
export const unknownVariable = (name: string, span: Span, knownNames: Iterable<string>): Diagnostic => {
  const known = new Set(knownNames)
  if (name === "null") {
    return diagnostic(
      "NoNullLiteral",
      "`null` is not a value: constellation-lang has no literal for a missing value.",
      span,
      "In an @example, give a value the input could have (or leave the @example out); in an expression, `x when false` is a missing value, and `x ?? default` replaces one."
    )
  }
  const subtraction = asSubtraction(name, known)
  if (subtraction !== undefined) {
    return diagnostic(
      "UnknownVariable",
      `Unknown variable \`${name}\`: a \`-\` between letters or digits joins them into one name.`,
      span,
      `For a subtraction, put spaces around the \`-\`: \`${subtraction}\`.`
    )
  }
  return diagnostic(
    "UnknownVariable",
    `Unknown variable \`${name}\`. Declare it as an input (\`in ${name}: Type\`) or assign it (\`${name} = ...\`).`,
    span,
    didYouMean(name, known)
  )
}
