/**
 * The parser of constellation-lang: source text to a `Program`, with a
 * diagnostic for every syntax error. It never throws.
 *
 * Line breaks. A declaration starts on a new line and ends where the next
 * line that starts a declaration begins (with `in name`, `out name`,
 * `type Name`, `use name`, `@`, or `name =`), or at the end of the file. Elsewhere line
 * breaks are insignificant: an expression may continue on the next line
 * inside brackets, after an operator, or before one (`+`, `.field`, `with`,
 * `else` ...), since no such token starts a declaration. Two things must
 * stay on one line: a call's name and its `(`, and a string literal with
 * its interpolations.
 *
 * Errors. The first error of a declaration is reported, then the parser
 * skips to the next line that starts a declaration; the declaration is kept
 * when its name was read, with `ErrorExpr` (or a `NamedType` named
 * `missingTypeName`) where a part is missing, so later uses of the name do
 * not cascade into "unknown variable" errors.
 *
 * Nesting. Every level of nesting (parentheses, brackets, calls, `not`, and
 * each operator of a chain) counts against `maxDepth` (default 256). Past
 * it the parser reports E107 and skips to the next declaration, so no
 * expression or type in the returned AST nests deeper than `maxDepth`, and
 * later passes may walk it recursively.
 */
import type { Declaration, Expr, Identifier, Program } from "./ast.js"
import { type Diagnostic, diagnostic, sortDiagnostics } from "./diagnostic.js"
import { lex } from "./lexer.js"
import { parseExpression } from "./parseExpression.js"
import { identifier, ParserState } from "./parserState.js"
import { parseType } from "./parseType.js"
import { parseUseDecl, startsUse } from "./parseUse.js"
import { emptySpan } from "./span.js"
import { isKeyword } from "./token.js"

export interface ParseResult {
  readonly program: Program
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

export const defaultMaxDepth = 256

/** Parses a pipeline's source; syntax errors come back as diagnostics, sorted by position. */
export const parse = (source: string, options?: { readonly maxDepth?: number }): ParseResult => {
  const { tokens, diagnostics } = lex(source)
  const requested = Math.floor(options?.maxDepth ?? defaultMaxDepth)
  const p = new ParserState(tokens, requested >= 1 ? requested : defaultMaxDepth, [...diagnostics])
  const span = { start: emptySpan.start, end: tokens[tokens.length - 1]?.span.end ?? emptySpan.end }
  try {
    const declarations = parseProgram(p)
    return { program: { _tag: "Program", declarations, span }, diagnostics: sortDiagnostics(p.diagnostics) }
  } catch (error) {
    // Only a maxDepth far above the default can exhaust the native stack.
    if (!(error instanceof RangeError)) throw error
    const tooDeep = diagnostic("NestingTooDeep", "This pipeline is nested too deeply to parse.", p.token.span,
      "Split deep expressions into smaller declarations, or lower maxDepth.")
    return { program: { _tag: "Program", declarations: [], span }, diagnostics: sortDiagnostics([...p.diagnostics, tooDeep]) }
  }
}

/** Program := Declaration*   (the program's span is the whole source) */
const parseProgram = (p: ParserState): Array<Declaration> => {
  const declarations: Array<Declaration> = []
  while (!p.at("EOF")) {
    const before = p.index
    p.recovering = false
    p.depth = 0
    const declaration = parseDeclaration(p)
    if (declaration !== undefined) {
      declarations.push(declaration)
      expectEndOfDeclaration(p, declaration.name)
    }
    if (p.recovering || p.index === before) p.synchronize()
  }
  return declarations
}

/** Declaration := InputDecl | OutputDecl | TypeAlias | Assignment | UseDecl (parseUse.ts) */
const parseDeclaration = (p: ParserState): Declaration | undefined => {
  const token = p.token
  switch (token.kind) {
    case "in":
    case "@":
      return parseInputDecl(p)
    case "out":
      return parseOutputDecl(p)
    case "type":
      return parseTypeAlias(p)
    case "Ident":
      if (p.peek().kind === "=") return parseAssignment(p)
      if (startsUse(p, p.index)) return parseUseDecl(p)
      p.advance()
      p.fail("UnexpectedToken", `Expected '=' after ${token.text} to define it, found ${p.found()}.`,
        p.at(":") ? `To declare an input write: in ${token.text}: Type.`
          : p.at("(") ? `Give the call's result a name: result = ${token.text}(...).` : undefined)
      return undefined
    default:
      p.fail("UnexpectedToken", `Expected a declaration ('in', 'out', 'type' or 'name = expression'), found ${p.found()}.`,
        token.kind === "with" ? "'with' options follow a module call: result = Name(x) with retry: 3." : undefined)
      return undefined
  }
}

/** InputDecl := Example? "in" Name ":" Type;  Example := "@" "example" "(" Expression ")" */
const parseInputDecl = (p: ParserState): Declaration | undefined => {
  const start = p.token.span.start
  const example = p.at("@") ? parseExample(p) : undefined
  if (p.recovering || p.expect("in", "Expected 'in' after @example(...): an example belongs to an input") === undefined) {
    return undefined
  }
  const name = declarationName(p, "Expected the name of the input after 'in'")
  if (name === undefined) return undefined
  p.expect(":", `Expected ':' and a type after the input name ${name.name}`, `For example: in ${name.name}: String.`)
  const type = parseType(p)
  return { _tag: "InputDecl", name, type, example, span: p.spanFrom(start) }
}

/** Example := "@" "example" "(" Expression ")" */
const parseExample = (p: ParserState): Expr | undefined => {
  const at = p.advance()
  const name = p.token
  if (name.kind === "Ident" && name.text !== "example" && name.span.start.offset === at.span.end.offset) {
    p.failAt("UnknownAnnotation", unknownAnnotation(name.text), { start: at.span.start, end: name.span.end },
      "The only annotation is @example(value), placed before an input.")
    return undefined
  }
  if (name.kind !== "Ident" || name.text !== "example") {
    p.fail("UnexpectedToken", `Expected 'example' after '@', found ${p.found()}.`,
      "The only annotation is @example(value), placed before an input.")
    return undefined
  }
  p.advance()
  if (p.expect("(", "Expected '(' after @example") === undefined) return undefined
  const value = parseExpression(p)
  p.expectClosing(")", "@example", name.span.start)
  return value
}

/** The message for `@name` other than `@example`; `@source` and `@sink` get their reason. */
const unknownAnnotation = (name: string): string =>
  name === "source" || name === "sink"
    ? `@${name} is not supported: a pipeline's ${name === "source" ? "inputs come from the request that runs it" : "outputs go to the caller that runs it (streamed as they are ready)"}, and there is no connector to name here.`
    : `There is no annotation @${name}.`

/** OutputDecl := "out" Name (":" Type)? */
const parseOutputDecl = (p: ParserState): Declaration | undefined => {
  const start = p.advance().span.start
  const name = declarationName(p, "Expected the name of an output after 'out'")
  if (name === undefined) return undefined
  const type = p.eat(":") === undefined ? undefined : parseType(p)
  return { _tag: "OutputDecl", name, type, span: p.spanFrom(start) }
}

/** TypeAlias := "type" Name "=" Type */
const parseTypeAlias = (p: ParserState): Declaration | undefined => {
  const start = p.advance().span.start
  const name = declarationName(p, "Expected the name of the type after 'type'")
  if (name === undefined) return undefined
  p.expect("=", `Expected '=' after the type name ${name.name}`, `For example: type ${name.name} = {name: String}.`)
  const type = parseType(p)
  return { _tag: "TypeAlias", name, type, span: p.spanFrom(start) }
}

/** Assignment := Name "=" Expression */
const parseAssignment = (p: ParserState): Declaration => {
  const name = identifier(p.advance())
  p.advance()
  const value = parseExpression(p)
  return { _tag: "Assignment", name, value, span: p.spanFrom(name.span.start) }
}

const declarationName = (p: ParserState, message: string): Identifier | undefined => {
  const kind = p.token.kind
  const token = p.expect("Ident", message, isKeyword(kind) ? `'${kind}' is a reserved word and cannot be a name.` : undefined)
  return token === undefined ? undefined : identifier(token)
}

/** A declaration must be followed by a line break or the end of the file. */
const expectEndOfDeclaration = (p: ParserState, name: Identifier): void => {
  if (p.recovering || p.at("EOF") || p.token.lineBreakBefore) return
  p.fail("UnexpectedToken", `Unexpected ${p.found()} after the declaration of ${name.name}.`,
    p.at("with") ? "'with' options follow a module call: Name(x) with retry: 3."
      : p.at("|") ? "'|' separates the members of a union type (in x: Int | String); write 'or' for logical or."
      : "Each declaration goes on its own line.")
}
