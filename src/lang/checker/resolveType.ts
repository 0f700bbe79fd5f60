/**
 * Written types to checked types: built-in names, aliases (resolved once,
 * each reported problem reported once), lists, optionals and records.
 */
import { missingTypeName } from "../ast.js"
import type { TypeExpr } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import type { Diagnostic } from "../diagnostic.js"
import type { Span } from "../span.js"
import { TBoolean, TFloat, TInt, TList, TMap, TOptional, TRecord, TString, TUnion, TUnknown, printType } from "../types.js"
import type { Type } from "../types.js"
import { mergeTypes } from "./merge.js"
import type { TypeAlias } from "./CheckedProgram.js"
import { didYouMean } from "./suggest.js"
import { MAX_TYPE_SIZE, tooLargeMessage, typeSize } from "./typeSize.js"

export const builtinTypes: ReadonlyMap<string, Type> = new Map([
  ["String", TString],
  ["Int", TInt],
  ["Float", TFloat],
  ["Boolean", TBoolean]
])

export interface TypeResolver {
  readonly resolve: (type: TypeExpr) => Type
  readonly resolveAlias: (name: string) => Type
}

/**
 * Makes a resolver over the program's aliases. An alias met again while it
 * is being resolved is part of a cycle, reported elsewhere (E208): it
 * resolves to `Unknown` here.
 */
export const makeTypeResolver = (
  aliases: ReadonlyMap<string, TypeAlias>,
  report: (d: Diagnostic) => void
): TypeResolver => {
  const resolved = new Map<string, Type | "resolving">()

  const resolveAlias = (name: string): Type => {
    const done = resolved.get(name)
    if (done === "resolving") return TUnknown
    if (done !== undefined) return done
    const alias = aliases.get(name)
    if (alias === undefined) return TUnknown
    resolved.set(name, "resolving")
    const type = resolve(alias.type)
    resolved.set(name, type)
    return type
  }

  const resolve = (type: TypeExpr): Type => {
    switch (type._tag) {
      case "NamedType": {
        const builtin = builtinTypes.get(type.name)
        if (builtin !== undefined) return builtin
        if (aliases.has(type.name)) return resolveAlias(type.name)
        if (type.name === missingTypeName) return TUnknown
        const generic = type.name === "List" || type.name === "Optional" || type.name === "Candidates" || type.name === "Map"
        report(diagnostic(
          "UnknownType",
          `Unknown type \`${type.name}\`. The types are String, Int, Float, Boolean, List<T>, Optional<T>, Map<K, V>, records like {name: String}, unions like Int | String, and aliases declared with \`type\`.`,
          type.span,
          generic ? `\`${type.name}\` needs ${type.name === "Map" ? "a key and a value type, e.g. `Map<String, Int>`" : `an element type, e.g. \`${type.name}<Int>\``}`
            : type.name === "Seq" ? "Seq is not a type of the language: write List<T>."
            : didYouMean(type.name, [...builtinTypes.keys(), ...aliases.keys()])
        ))
        return TUnknown
      }
      case "ListType":
        return TList(resolve(type.element))
      case "MapType":
        return TMap(resolve(type.key), resolve(type.value))
      case "UnionType":
        return sized(TUnion(type.members.map(resolve)), type.span, "This union type")
      case "MergeType":
        return resolveMerge(type, resolve(type.left), resolve(type.right))
      case "OptionalType": {
        const inner = resolve(type.inner)
        return inner._tag === "Optional" ? inner : TOptional(inner)
      }
      case "RecordType": {
        const fields: Array<readonly [string, Type]> = []
        const seen = new Map<string, string>()
        for (const field of type.fields) {
          const first = seen.get(field.name.name)
          const fieldType = resolve(field.type)
          if (first !== undefined) {
            report(diagnostic(
              "DuplicateField",
              `The field \`${field.name.name}\` appears twice in this record type (first at ${first}).`,
              field.name.span
            ))
            continue
          }
          seen.set(field.name.name, `${field.name.span.start.line}:${field.name.span.start.column}`)
          fields.push([field.name.name, fieldType])
        }
        return sized(TRecord(fields), type.span, "This record type")
      }
    }
  }

  const sized = (t: Type, span: Span, what: string): Type => {
    if (typeSize(t) <= MAX_TYPE_SIZE) return t
    report(diagnostic("TypeTooLarge", tooLargeMessage(what), span))
    return TUnknown
  }

  const resolveMerge = (type: Extract<TypeExpr, { readonly _tag: "MergeType" }>, left: Type, right: Type): Type => {
    const merged = mergeTypes(left, right)
    if (merged !== undefined) return sized(merged, type.span, "This merged type")
    report(diagnostic(
      "IncompatibleMerge",
      `\`+\` on types merges two records (or lists of records), but here it gets ${printType(left)} and ${printType(right)}.`,
      type.opSpan,
      "Only record types merge: type C = {a: Int} + {b: String}."
    ))
    return TUnknown
  }

  return { resolve, resolveAlias }
}
