/**
 * Type expressions.
 *
 *     Type       := RecordType | GenericType | NamedType
 *     NamedType  := Name                            String, Int, Float, Boolean or an alias
 *     GenericType:= ("List" | "Optional") "<" Type ">"
 *     RecordType := "{" (TypeField ("," TypeField)* ","?)? "}"
 *     TypeField  := FieldName ":" Type
 *
 * Where no type can be read the parser reports E106 and puts a `NamedType`
 * named `missingTypeName` (the empty string), which the checker resolves to
 * Unknown without a second report.
 */
import { missingTypeName, type RecordTypeField, type TypeExpr } from "./ast.js"
import { fieldName, parseDelimited, type ParserState } from "./parserState.js"

/** Type := RecordType | GenericType | NamedType */
export const parseType = (p: ParserState): TypeExpr => {
  if (p.recovering || !p.enter()) return missingType(p)
  const type = p.at("{") ? parseRecordType(p) : p.at("Ident") && !p.atNextDeclaration() ? parseNamedOrGeneric(p) : expectedType(p)
  p.depth--
  return type
}

const missingType = (p: ParserState): TypeExpr => ({ _tag: "NamedType", name: missingTypeName, span: p.missingSpan() })

const expectedType = (p: ParserState): TypeExpr => {
  const previous = p.index > 0 ? p.tokens[p.index - 1] : undefined
  const after = previous?.kind === ":" ? " after ':'" : previous?.kind === "=" ? " after '='" : ""
  p.fail("ExpectedType", `Expected a type${after}, found ${p.found()}.`,
    "The types are String, Int, Float, Boolean, List<T>, Optional<T>, records like {name: String}, and aliases.")
  return missingType(p)
}

/** NamedType := Name;  GenericType := ("List" | "Optional") "<" Type ">" */
const parseNamedOrGeneric = (p: ParserState): TypeExpr => {
  const name = p.advance()
  if (!p.at("<")) return { _tag: "NamedType", name: name.text, span: name.span }
  if (name.text !== "List" && name.text !== "Optional") {
    p.fail("UnexpectedToken", `The type ${name.text} takes no type parameter; only List<T> and Optional<T> do.`)
    return { _tag: "NamedType", name: name.text, span: name.span }
  }
  p.advance()
  const inner = parseType(p)
  p.expectClosing(">", `${name.text}<`, name.span.start)
  const span = p.spanFrom(name.span.start)
  return name.text === "List" ? { _tag: "ListType", element: inner, span } : { _tag: "OptionalType", inner, span }
}

/** RecordType := "{" (TypeField ("," TypeField)* ","?)? "}" */
const parseRecordType = (p: ParserState): TypeExpr => {
  const open = p.advance().span.start
  const fields = parseDelimited(p, "}", "the record type", open, parseTypeField)
  return { _tag: "RecordType", fields, span: p.spanFrom(open) }
}

/** TypeField := FieldName ":" Type */
const parseTypeField = (p: ParserState): RecordTypeField | undefined => {
  const name = fieldName(p, "Expected a field name in the record type")
  if (name === undefined || (p.eat(":") ?? p.expect(":", `Expected ':' after the field name ${name.name}`)) === undefined) return undefined
  const type = parseType(p)
  return { name, type, span: { start: name.span.start, end: type.span.end } }
}
