/**
 * Derives the constellation-lang type of a Schema. Values cross module
 * boundaries in their encoded (JSON) form, so the language type is the type
 * of the schema's encoded side: `Schema.NumberFromString` is a `String`.
 */
import { Option, Schema, SchemaAST } from "effect"
import { TBoolean, TFloat, TInt, TList, TMap, TOptional, TRecord, TString, TUnion, TVar, printType } from "../lang/types.js"
import type { Type } from "../lang/types.js"

/** A schema that no language type describes (a symbol, a bigint, a tuple...). */
export class UnsupportedSchemaError extends Error {
  readonly _tag = "UnsupportedSchemaError"
}

/** The annotation that names a type variable on a `Schema.Unknown`. */
export const TypeVariableId: unique symbol = Symbol.for("@constellation/TypeVariable")

/**
 * A type variable for generic module signatures: `params: { value: typeVariable("T") }`
 * with `result: typeVariable("T")` makes the result the type of the argument.
 */
export const typeVariable = (name: string) => Schema.Unknown.annotations({ [TypeVariableId]: name })

const isIntRefinement = (ast: SchemaAST.Refinement): boolean => {
  const id = SchemaAST.getSchemaIdAnnotation(ast)
  if (Option.isSome(id) && typeof id.value === "symbol" && id.value.description?.includes("Int") === true) return true
  const ident = SchemaAST.getIdentifierAnnotation(ast)
  return Option.isSome(ident) && ident.value === "Int"
}

const fromAst = (ast: SchemaAST.AST, path: string): Type => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return TString
    case "NumberKeyword":
      return TFloat
    case "BooleanKeyword":
      return TBoolean
    case "Literal":
      if (typeof ast.literal === "string") return TString
      if (typeof ast.literal === "number") return TFloat
      if (typeof ast.literal === "boolean") return TBoolean
      break
    case "Enums":
      if (ast.enums.every(([, v]) => typeof v === "string")) return TString
      if (ast.enums.every(([, v]) => typeof v === "number")) return TFloat
      break
    case "UnknownKeyword": {
      const name = ast.annotations[TypeVariableId]
      return TVar(typeof name === "string" ? name : "T")
    }
    case "Refinement":
      if (isIntRefinement(ast)) return TInt
      return fromAst(ast.from, path)
    case "Transformation":
      return fromAst(ast.from, path)
    case "Suspend":
      return fromAst(ast.f(), path)
    case "TupleType":
      if (ast.elements.length === 0 && ast.rest.length === 1 && ast.rest[0] !== undefined) {
        return TList(fromAst(ast.rest[0].type, `${path}[]`))
      }
      break
    case "TypeLiteral":
      if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 1) {
        // `Schema.Record({ key: Schema.String, value })`: a map with String keys, a JSON object on the wire.
        const index = ast.indexSignatures[0]!
        if (index.parameter._tag === "StringKeyword") return TMap(TString, fromAst(index.type, `${path}[]`))
      }
      if (ast.indexSignatures.length === 0) {
        return TRecord(ast.propertySignatures.map((p) => {
          const name = String(p.name)
          const t = fromAst(p.type, `${path}.${name}`)
          return [name, p.isOptional && t._tag !== "Optional" ? TOptional(t) : t] as const
        }))
      }
      break
    case "Union": {
      const nullish = ast.types.filter((m) => (m._tag === "Literal" && m.literal === null) || m._tag === "UndefinedKeyword")
      const rest = ast.types.filter((m) => !nullish.includes(m))
      const restTypes = rest.map((m) => fromAst(m, path))
      const first = restTypes[0]
      if (first === undefined) break
      // Members of one language type (literals of a String enum) are that type; others make a union.
      const type = restTypes.every((t) => printType(t) === printType(first)) ? first : TUnion(restTypes)
      return nullish.length > 0 ? TOptional(type) : type
    }
    default:
      break
  }
  throw new UnsupportedSchemaError(`${path}: the schema ${String(ast)} has no constellation-lang type`)
}

/**
 * The language type of a schema.
 * @throws UnsupportedSchemaError when no language type describes it.
 */
export const typeFromSchema = (schema: Schema.Schema.Any, path = "value"): Type => fromAst(schema.ast, path)

/** Whether decoding with this schema may change or reject a well-typed value (refinements, transformations). */
export const schemaHasChecks = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "Refinement":
      return !isIntRefinement(ast) || schemaHasChecks(ast.from)
    case "Transformation":
    case "Declaration":
      return true
    case "Suspend":
      return true
    case "TupleType":
      return ast.elements.some((e) => schemaHasChecks(e.type)) || ast.rest.some((r) => schemaHasChecks(r.type))
    case "TypeLiteral":
      return ast.propertySignatures.some((p) => schemaHasChecks(p.type))
    case "Union":
      return ast.types.some(schemaHasChecks)
    default:
      return false
  }
}
