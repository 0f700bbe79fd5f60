/**
 * The other places a diagnostic is about, which the compiler names in its
 * message ("already defined on line 3") but does not point at: the first
 * definition of a duplicate, the members of a cycle, the value an output's
 * type is checked against.
 */
import type { Diagnostic } from "../lang/diagnostic.js"
import type { Span } from "../lang/span.js"
import type { Analysis } from "./Analysis.js"

export interface Related {
  readonly span: Span
  readonly message: string
}

const nameAt = (analysis: Analysis, span: Span): string => analysis.text.slice(span.start.offset, span.end.offset)

const firstOtherThan = (spans: ReadonlyArray<Span>, span: Span): Span | undefined =>
  spans.find((s) => s.start.offset !== span.start.offset)

/** The names of a cycle message: "`a` depends on itself: a -> b -> a." */
const cycleNames = (message: string): ReadonlyArray<string> => {
  const match = /: ([^\s]+(?: -> [^\s]+)+)\./.exec(message)
  return match === null ? [] : [...new Set(match[1]!.split(" -> "))]
}

/** The related locations of one diagnostic; empty for most. */
export const relatedLocations = (analysis: Analysis, d: Diagnostic): ReadonlyArray<Related> => {
  const { symbols, program } = analysis
  switch (d.name) {
    case "DuplicateDefinition": {
      const name = nameAt(analysis, d.span)
      const symbol = symbols.values.get(name) ?? symbols.types.get(name)
      const first = symbol === undefined ? undefined : firstOtherThan(symbol.definitions, d.span)
      return first === undefined ? [] : [{ span: first, message: `\`${name}\` is first defined here` }]
    }
    case "DuplicateOutput": {
      const name = nameAt(analysis, d.span)
      const first = program.declarations.find((decl) => decl._tag === "OutputDecl" && decl.name.name === name)
      return first === undefined || first.name.span.start.offset === d.span.start.offset
        ? []
        : [{ span: first.name.span, message: `\`out ${name}\` is first declared here` }]
    }
    case "Cycle":
    case "AliasCycle": {
      const table = d.name === "Cycle" ? symbols.values : symbols.types
      return cycleNames(d.message).flatMap((name) => {
        const span = table.get(name)?.definitions[0]
        return span === undefined || span.start.offset === d.span.start.offset ? [] : [{ span, message: `\`${name}\` is part of the cycle` }]
      })
    }
    case "OutputTypeMismatch": {
      const out = program.declarations.find((decl) => decl._tag === "OutputDecl" && decl.type?.span.start.offset === d.span.start.offset)
      const span = out === undefined ? undefined : symbols.values.get(out.name.name)?.definitions[0]
      return span === undefined ? [] : [{ span, message: `\`${out!.name.name}\` is defined here` }]
    }
    case "ExampleTypeMismatch": {
      const input = program.declarations.find((decl) => decl._tag === "InputDecl" && decl.example?.span.start.offset === d.span.start.offset)
      return input?._tag === "InputDecl" ? [{ span: input.type.span, message: `the type of \`${input.name.name}\`` }] : []
    }
    case "DuplicateField": {
      const match = /first at (\d+):(\d+)/.exec(d.message)
      if (match === null) return []
      const line = Number(match[1]) - 1
      const character = Number(match[2]) - 1
      const offset = analysis.lines.offsetAt({ line, character })
      const end = offset + nameAt(analysis, d.span).length
      const at = (o: number) => ({ line: line + 1, column: character + 1 + (o - offset), offset: o })
      return [{ span: { start: at(offset), end: at(end) }, message: "the field's first appearance" }]
    }
    default:
      return []
  }
}
