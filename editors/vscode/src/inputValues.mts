/**
 * An input's value as typed in an input box: a `String` input takes the
 * text as it is, any other type JSON (`42`, `[1, 2]`, `{"name": "Ada"}`).
 * The box starts with the `@example` value when the pipeline has one.
 */

export type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }

/** The text an input box starts with: the example, as typed. */
export const initialText = (type: string, example: unknown): string =>
  example === undefined ? "" : type === "String" && typeof example === "string" ? example : JSON.stringify(example)

/** Reads a typed value; the server checks it against the type. */
export const parseInput = (type: string, text: string): Parsed => {
  if (type === "String") return { ok: true, value: text }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, message: `Give a ${type} as JSON, for example ${exampleOf(type)}.` }
  }
}

const exampleOf = (type: string): string =>
  type === "Int" ? "42" : type === "Float" ? "1.5" : type === "Boolean" ? "true" : type.startsWith("List<") ? "[...]" : type.startsWith("{") ? "{\"field\": ...}" : "a JSON value"
