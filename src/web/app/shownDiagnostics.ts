/**
 * What the editor and the compile status show for the source in the
 * editor, from the two places that know its diagnostics: the language
 * server (published a few milliseconds after each edit, with related
 * locations) and the compile loop (`POST /compile`, a quarter of a second
 * later, which also says what the pipeline holds). The language server's
 * diagnostics win when it has any; the compile loop's show when the
 * language server is down or has not answered for this source yet (or
 * disagrees, finding nothing where the compile did), so the page never
 * shows nothing; the verdict "compiles" is the compile loop's.
 */
import type { CompileOutcome } from "./CompileLoop.js"
import type { EditorDiagnostic } from "./diagnostics.js"
import type { CompileStatus } from "./DiagnosticsList.js"
import { plural } from "./format.js"

/** The diagnostics the language server published for a text. */
export interface Published {
  readonly text: string
  readonly diagnostics: ReadonlyArray<EditorDiagnostic>
}

export interface Shown {
  readonly status: CompileStatus
  /** The editor's squiggles, or undefined to keep the ones it has until something is known. */
  readonly diagnostics: ReadonlyArray<EditorDiagnostic> | undefined
  /** Where the diagnostics come from. */
  readonly from: "lsp" | "compile"
}

const invalid = (diagnostics: ReadonlyArray<EditorDiagnostic>, from: Shown["from"]): Shown =>
  ({ status: { _tag: "Invalid", diagnostics }, diagnostics, from })

/** The status of a source the compile loop has answered for (or not, undefined) with nothing to underline. */
const verdict = (outcome: CompileOutcome | undefined): CompileStatus => {
  if (outcome === undefined || outcome._tag === "Invalid") return { _tag: "Checking" }
  if (outcome._tag === "Unavailable") return { _tag: "Unavailable", message: outcome.message }
  const { dag, modules } = outcome.compiled
  return { _tag: "Compiled", summary: [plural(dag.inputs.length, "input"), plural(modules.length, "module"), plural(dag.outputs.length, "output")].join(" · ") }
}

/**
 * What to show for `source`, given the language server's last publication
 * (undefined while it is down) and the compile loop's last outcome.
 */
export const shownDiagnostics = (source: string, published: Published | undefined, outcome: CompileOutcome | undefined): Shown => {
  const fromServer = published?.text === source ? published.diagnostics : undefined
  const compiled = outcome?.source === source ? outcome : undefined
  if (fromServer !== undefined && fromServer.length > 0) return invalid(fromServer, "lsp")
  if (compiled?._tag === "Invalid") return invalid(compiled.diagnostics, "compile")
  if (fromServer !== undefined) return { status: verdict(compiled), diagnostics: [], from: "lsp" }
  return { status: verdict(compiled), diagnostics: compiled?._tag === "Compiled" ? [] : undefined, from: "compile" }
}
