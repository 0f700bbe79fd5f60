/**
 * The `@example(...)` values of a pipeline's inputs, read with the
 * language's own parser: `POST /compile` returns them (the dashboard
 * pre-fills its inputs form with them), and `constellation run` gives them
 * to inputs not given on the command line. Only literal examples (numbers,
 * strings without interpolation, booleans, lists and records of them) have
 * a value; anything else is left for the user to fill in.
 */
import type { Expr } from "./ast.js"
import { parse } from "./parser.js"
import type { Value } from "./value.js"

const isValue = (v: Value | undefined): v is Value => v !== undefined

/** The value of a literal expression, or undefined. */
export const literalValue = (expr: Expr): Value | undefined => {
  switch (expr._tag) {
    case "IntLiteral":
    case "FloatLiteral":
    case "BooleanLiteral":
      return expr.value
    case "StringLiteral": {
      const texts = expr.parts.flatMap((p) => (p._tag === "Text" ? [p.value] : []))
      return texts.length === expr.parts.length ? texts.join("") : undefined
    }
    case "ListLiteral": {
      const items = expr.items.map(literalValue)
      return items.every(isValue) ? items : undefined
    }
    case "RecordLiteral": {
      const record: Record<string, Value> = {}
      for (const field of expr.fields) {
        const value = literalValue(field.value)
        if (value === undefined) return undefined
        record[field.name.name] = value
      }
      return record
    }
    default:
      return undefined
  }
}

/** Input name to its example value, for every input with a literal `@example`. */
export const exampleInputs = (source: string): ReadonlyMap<string, Value> => {
  const examples = new Map<string, Value>()
  for (const d of parse(source).program.declarations) {
    if (d._tag !== "InputDecl" || d.example === undefined) continue
    const value = literalValue(d.example)
    if (value !== undefined) examples.set(d.name.name, value)
  }
  return examples
}
