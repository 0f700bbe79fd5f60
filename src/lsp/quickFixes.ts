/**
 * The edit a diagnostic's hint suggests, when it suggests one: the name of
 * "did you mean `Uppercase`?", the spaced subtraction of an unknown `a-b`,
 * the missing `out` of a pipeline without outputs. Computed with the
 * diagnostic and carried in its `data`, so a code action needs no state.
 */
import type { Diagnostic } from "../lang/diagnostic.js"
import type { Analysis } from "./Analysis.js"

/** An edit of the source: replace `[start, end)` with `newText`. */
export interface QuickFix {
  readonly title: string
  readonly start: number
  readonly end: number
  readonly newText: string
}

const didYouMean = /did you mean `([^`]+)`\?/
const subtraction = /put spaces around the `-`: `([^`]+)`/

/** The fix a diagnostic's hint suggests, if any. */
export const quickFixOf = (analysis: Analysis, d: Diagnostic): QuickFix | undefined => {
  const start = d.span.start.offset
  const end = d.span.end.offset
  const written = analysis.text.slice(start, end)
  const suggested = d.hint === undefined ? undefined : didYouMean.exec(d.hint)?.[1]
  if (suggested !== undefined) {
    // A qualified name (`m.ad`) with a suggested member (`add`): replace the member only.
    const dot = written.lastIndexOf(".")
    const from = dot >= 0 && !suggested.includes(".") ? start + dot + 1 : start
    return { title: `Change to \`${suggested}\``, start: from, end, newText: suggested }
  }
  const spaced = d.hint === undefined ? undefined : subtraction.exec(d.hint)?.[1]
  if (spaced !== undefined) return { title: `Write the subtraction \`${spaced}\``, start, end, newText: spaced }
  if (d.name === "NoOutputs") {
    const last = [...analysis.program.declarations].reverse().find((decl) => decl._tag === "Assignment")
    if (last === undefined) return undefined
    const at = analysis.text.length
    const newline = analysis.text.length === 0 || analysis.text.endsWith("\n") ? "" : "\n"
    return { title: `Add \`out ${last.name.name}\``, start: at, end: at, newText: `${newline}out ${last.name.name}\n` }
  }
  return undefined
}
