/**
 * The compiler's diagnostics as LSP diagnostics: the stable code, the
 * message with its hint, the exact range, the related locations, and in
 * `data` the hint and the quick fix it suggests.
 */
import { DiagnosticSeverity } from "vscode-languageserver"
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver"
import type { Diagnostic } from "../lang/diagnostic.js"
import type { Analysis } from "./Analysis.js"
import { quickFixOf } from "./quickFixes.js"
import type { QuickFix } from "./quickFixes.js"
import { relatedLocations } from "./relatedLocations.js"

/** What a published diagnostic carries in `data`. */
export interface DiagnosticData {
  /** The catalogue name of the code (`UnknownModule`). */
  readonly name: string
  readonly hint?: string
  readonly fix?: FixData
}

/** A quick fix: the title of its action and the edit. */
export interface FixData {
  readonly title: string
  readonly range: LspDiagnostic["range"]
  readonly newText: string
}

export const SOURCE = "constellation"

const fixData = (analysis: Analysis, fix: QuickFix): FixData =>
  ({ title: fix.title, range: analysis.lines.rangeOfOffsets(fix.start, fix.end), newText: fix.newText })

/** Converts one diagnostic of a document. */
export const toLspDiagnostic = (analysis: Analysis, uri: string, d: Diagnostic): LspDiagnostic => {
  const related = relatedLocations(analysis, d)
  const fix = quickFixOf(analysis, d)
  const data: DiagnosticData = {
    name: d.name,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    ...(fix === undefined ? {} : { fix: fixData(analysis, fix) })
  }
  return {
    range: analysis.lines.rangeOf(d.span),
    severity: DiagnosticSeverity.Error,
    code: d.code,
    source: SOURCE,
    message: d.hint === undefined ? d.message : `${d.message}\nHint: ${d.hint}`,
    ...(related.length === 0 ? {} : {
      relatedInformation: related.map((r) => ({ location: { uri, range: analysis.lines.rangeOf(r.span) }, message: r.message }))
    }),
    data
  }
}

/** Every diagnostic of a document, in position order. */
export const lspDiagnostics = (analysis: Analysis, uri: string): Array<LspDiagnostic> =>
  analysis.diagnostics.map((d) => toLspDiagnostic(analysis, uri, d))
