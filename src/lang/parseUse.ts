/**
 * The `use` declaration, which imports a namespace of functions:
 *
 *     UseDecl := "use" Name ("." Name)* ("as" Name)?
 *
 * `use` and `as` are not reserved words: `use` starts a declaration only
 * when a name follows it on the same line (`use = 1` is an assignment), and
 * `as` is read only after the path.
 */
import type { Declaration, Identifier } from "./ast.js"
import { fieldName, identifier, type ParserState } from "./parserState.js"

/** True when token `i` is the `use` of a use declaration: `use` followed by a name on its line. */
export const startsUse = (p: ParserState, i: number): boolean => {
  const token = p.tokens[i]
  const next = p.tokens[i + 1]
  return token?.kind === "Ident" && token.text === "use" && next?.kind === "Ident" && !next.lineBreakBefore
}

/** UseDecl := "use" Name ("." Name)* ("as" Name)? */
export const parseUseDecl = (p: ParserState): Declaration | undefined => {
  const start = p.advance().span.start
  const path: Array<Identifier> = [identifier(p.advance())]
  while (!p.recovering && p.at(".") && !p.token.lineBreakBefore) {
    p.advance()
    const segment = fieldName(p, "Expected the next part of the namespace after '.'")
    if (segment === undefined) return undefined
    path.push(segment)
  }
  let alias: Identifier | undefined
  if (p.at("Ident") && p.token.text === "as" && !p.token.lineBreakBefore) {
    p.advance()
    const token = p.expect("Ident", "Expected the alias after 'as'", "For example: use stdlib.math as m.")
    if (token === undefined) return undefined
    alias = identifier(token)
  }
  const name = alias ?? path[path.length - 1]!
  return { _tag: "UseDecl", path, alias, name, span: p.spanFrom(start) }
}
