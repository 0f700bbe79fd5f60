/**
 * Quick fixes: the edit each diagnostic's hint suggests, read from the
 * `data` the diagnostic was published with.
 */
import { CodeActionKind } from "vscode-languageserver"
import type { CodeAction, Diagnostic } from "vscode-languageserver"
import type { DiagnosticData, FixData } from "./diagnostics.js"
import { SOURCE } from "./diagnostics.js"

const fixOf = (d: Diagnostic): FixData | undefined => {
  if (d.source !== SOURCE || typeof d.data !== "object" || d.data === null) return undefined
  const fix = (d.data as Partial<DiagnosticData>).fix
  return fix !== undefined && typeof fix.newText === "string" && typeof fix.title === "string" ? fix : undefined
}

/** One quick fix per diagnostic of the request's context that suggests an edit. */
export const quickFixes = (uri: string, diagnostics: ReadonlyArray<Diagnostic>): Array<CodeAction> =>
  diagnostics.flatMap((d) => {
    const fix = fixOf(d)
    if (fix === undefined) return []
    return [{
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range: fix.range, newText: fix.newText }] } }
    }]
  })
