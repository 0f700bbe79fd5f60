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

/**
 * The schema id of every `safeRecord`, so that tools reading a Schema's AST
 * (the clients' shape generator, `scripts/clientShapes.ts`) can tell this
 * declaration from others: a record of string keys, each value of its one
 * type parameter, every own key kept.
 */
export const SafeRecordSchemaId: unique symbol = Symbol.for("constellation/safeRecord")

/** `Schema.Record({ key: Schema.String, value })` that keeps a `__proto__` key. */
export const safeRecord = <A, I>(value: Schema.Schema<A, I>) =>
  Schema.declare(
    [value],
    {
      decode: (v) => eachValue(ParseResult.decodeUnknownEither(v)),
      encode: (v) => eachValue(ParseResult.encodeUnknownEither(v))
    },
    {
      schemaId: SafeRecordSchemaId,
      jsonSchema: { type: "object", additionalProperties: true },
      // For property tests (Schema's Arbitrary): records with a `__proto__` key among others; shallow inside a recursive Schema.
      arbitrary: (item, ctx) => (fc) => {
        const key = fc.oneof(fc.string(), fc.constant("__proto__"))
        const deep = ctx.depthIdentifier !== undefined
        const records = fc.uniqueArray(fc.tuple(key, item(fc)), { selector: ([k]) => k, ...(deep ? { maxLength: 2 } : {}) })
          .map((entries): { readonly [key: string]: A } => Object.fromEntries(entries))
        const empty: { readonly [key: string]: A } = {}
        return deep ? fc.oneof({ maxDepth: ctx.maxDepth, depthIdentifier: ctx.depthIdentifier }, fc.constant(empty), records) : records
      }
    }
  )
