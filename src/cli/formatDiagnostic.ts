/**
 * Compile diagnostics printed the way compilers print them:
 *
 * ```
 * pipeline.cst:3:9: error E400: No module is named `Uppercse`.
 *   3 | upper = Uppercse(text)
 *     |         ^^^^^^^^
 *     = hint: did you mean `Uppercase`?
 * ```
 */
import type { DiagnosticWire } from "../protocol/errors.js"

/** What a diagnostic needs to be printed: the wire form, which local and server diagnostics share. */
export type PrintableDiagnostic = Pick<DiagnosticWire, "code" | "message" | "line" | "column" | "endLine" | "endColumn"> & {
  readonly hint?: string | undefined
}

/** Styling hooks, identity by default; the CLI colours on a terminal. */
export interface Style {
  readonly error: (s: string) => string
  readonly caret: (s: string) => string
  readonly dim: (s: string) => string
}

export const plain: Style = { error: (s) => s, caret: (s) => s, dim: (s) => s }

const sourceLine = (source: string, line: number): string | undefined => source.split(/\r\n|\r|\n/)[line - 1]

/** The caret line's indent: the source's own tabs kept, so the caret lines up however tabs are shown. */
const indentUnder = (text: string, column: number): string =>
  text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, " ")

/** One diagnostic: `file:line:column: error CODE: message`, the source line, a caret under the span, the hint. */
export const formatDiagnostic = (
  file: string,
  source: string,
  d: PrintableDiagnostic,
  style: Style = plain
): string => {
  const header = `${file}:${d.line}:${d.column}: ${style.error(`error ${d.code}`)}: ${d.message}`
  const text = sourceLine(source, d.line)
  const lines = [header]
  if (text !== undefined) {
    const gutter = String(d.line).length
    const lastColumn = d.endLine === d.line ? d.endColumn : text.length + 1
    const width = Math.max(1, Math.min(lastColumn, text.length + 1) - d.column)
    lines.push(
      `${" ".repeat(2)}${style.dim(`${d.line} |`)} ${text}`,
      `${" ".repeat(2 + gutter)}${style.dim(" |")} ${indentUnder(text, d.column)}${style.caret("^".repeat(width))}`
    )
    if (d.hint !== undefined) lines.push(`${" ".repeat(2 + gutter)}${style.dim(" =")} hint: ${d.hint}`)
  } else if (d.hint !== undefined) {
    lines.push(`  = hint: ${d.hint}`)
  }
  return lines.join("\n")
}

/** Every diagnostic, then a count: `2 errors`. */
export const formatDiagnostics = (
  file: string,
  source: string,
  diagnostics: ReadonlyArray<PrintableDiagnostic>,
  style: Style = plain
): string => {
  const n = diagnostics.length
  const body = diagnostics.map((d) => formatDiagnostic(file, source, d, style)).join("\n\n")
  return `${body}\n\n${style.error(`${n} ${n === 1 ? "error" : "errors"}`)}`
}
