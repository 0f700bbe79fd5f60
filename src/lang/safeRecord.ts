/**
 * A record Schema that keeps every own key. Effect's `Schema.Record`
 * decodes by assignment, so a key named `__proto__` (a legal output, input
 * and field name) is dropped; this one builds its result with
 * `Object.fromEntries`, which defines each key as an own field.
 */
import { Either, ParseResult, Schema } from "effect"
import type * as AST from "effect/SchemaAST"

type Step<A> = (u: unknown, options?: AST.ParseOptions) => Either.Either<A, ParseResult.ParseIssue>

/** Applies `step` to every value of a plain object, keeping every own key. */
const eachValue = <A>(step: Step<A>) =>
(input: unknown, options: AST.ParseOptions, ast: AST.AST) => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return ParseResult.fail(new ParseResult.Type(ast, input))
  }
  const entries: Array<[string, A]> = []
  for (const [key, v] of Object.entries(input)) {
    const r = step(v, options)
    if (Either.isLeft(r)) return ParseResult.fail(new ParseResult.Pointer(key, input, r.left))
    entries.push([key, r.right])
  }
  const record: { readonly [key: string]: A } = Object.fromEntries(entries)
  return ParseResult.succeed(record)
}

/** `Schema.Record({ key: Schema.String, value })` that keeps a `__proto__` key. */
export const safeRecord = <A, I>(value: Schema.Schema<A, I>) =>
  Schema.declare(
    [value],
    {
      decode: (v) => eachValue(ParseResult.decodeUnknownEither(v)),
      encode: (v) => eachValue(ParseResult.encodeUnknownEither(v))
    },
    { jsonSchema: { type: "object", additionalProperties: true } }
  )
