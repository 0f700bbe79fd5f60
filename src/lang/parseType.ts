/**
 * Type expressions.
 *
 *     Type       := MergeType ("|" MergeType)*      a union of the members
 *     MergeType  := TypeTerm ("+" TypeTerm)*         records merged, the right's fields winning
 *     TypeTerm   := RecordType | GenericType | NamedType
 *     NamedType  := Name                            String, Int, Float, Boolean or an alias
 *     GenericType:= ("List" | "Candidates" | "Optional") "<" Type ">" | "Map" "<" Type "," Type ">"
 *     RecordType := "{" (TypeField ("," TypeField)* ","?)? "}"
 *     TypeField  := FieldName ":" Type
 *
 * Where no type can be read the parser reports E106 and puts a `NamedType`
 * named `missingTypeName` (the empty string), which the checker resolves to
 * Unknown without a second report.
 */
import { missingTypeName, type RecordTypeField, type TypeExpr } from "./ast.js"
import { fieldName, parseDelimited, type ParserState } from "./parserState.js"

/** Type := MergeType ("|" MergeType)* */
export const parseType = (p: ParserState): TypeExpr => {
  if (p.recovering || !p.enter()) return missingType(p)
  const members = [parseMergeType(p)]
  while (!p.recovering && p.at("|")) {
    p.advance()
    members.push(parseMergeType(p))
  }
  p.depth--
  const first = members[0]!
  if (members.length === 1) return first
  return { _tag: "UnionType", members, span: { start: first.span.start, end: members[members.length - 1]!.span.end } }
}

/** MergeType := TypeTerm ("+" TypeTerm)*, grouped from the left. */
const parseMergeType = (p: ParserState): TypeExpr => {
  let left = parseTypeTerm(p)
  let levels = 0
  while (!p.recovering && p.at("+") && p.enter()) {
    levels++
    const op = p.advance()
    const right = parseTypeTerm(p)
    left = { _tag: "MergeType", left, right, opSpan: op.span, span: { start: left.span.start, end: right.span.end } }
  }
  p.depth -= levels
  return left
}

/** TypeTerm := RecordType | GenericType | NamedType */
const parseTypeTerm = (p: ParserState): TypeExpr => {
  if (p.recovering) return missingType(p)
  return p.at("{") ? parseRecordType(p) : p.at("Ident") && !p.atNextDeclaration() ? parseNamedOrGeneric(p) : expectedType(p)
}

const missingType = (p: ParserState): TypeExpr => ({ _tag: "NamedType", name: missingTypeName, span: p.missingSpan() })

const expectedType = (p: ParserState): TypeExpr => {
  const previous = p.index > 0 ? p.tokens[p.index - 1] : undefined
  const after = previous?.kind === ":" ? " after ':'" : previous?.kind === "=" ? " after '='" : ""
  p.fail("ExpectedType", `Expected a type${after}, found ${p.found()}.`,
    "The types are String, Int, Float, Boolean, List<T>, Optional<T>, Map<K, V>, records like {name: String}, unions like Int | String, and aliases.")
  return missingType(p)
}

const generics: ReadonlySet<string> = new Set(["List", "Candidates", "Optional", "Map"])

/** NamedType := Name;  GenericType := ("List" | "Candidates" | "Optional") "<" Type ">" | "Map" "<" Type "," Type ">" */
const parseNamedOrGeneric = (p: ParserState): TypeExpr => {
  const name = p.advance()
  if (!p.at("<")) return { _tag: "NamedType", name: name.text, span: name.span }
  if (!generics.has(name.text)) {
    p.fail("UnexpectedToken", `The type ${name.text} takes no type parameter; only List<T>, Optional<T> and Map<K, V> do.`,
      name.text === "Seq" ? "Seq is not a type of the language: write List<T>." : undefined)
    return { _tag: "NamedType", name: missingTypeName, span: name.span }
  }
  p.advance()
  const inner = parseType(p)
  if (name.text === "Map") {
    p.expect(",", "Expected ',' and the value type after the key type of Map<", "A map type has two parameters: Map<String, Int>.")
    const value = parseType(p)
    p.expectClosing(">", "Map<", name.span.start)
    return { _tag: "MapType", key: inner, value, span: p.spanFrom(name.span.start) }
  }
  p.expectClosing(">", `${name.text}<`, name.span.start)
  const span = p.spanFrom(name.span.start)
  return name.text === "Optional" ? { _tag: "OptionalType", inner, span } : { _tag: "ListType", element: inner, span }
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
