/**
 * The language server's `textDocument/publishDiagnostics` as the editor's
 * diagnostics: 0-based LSP positions (UTF-16, as the textarea counts) to
 * the 1-based lines and columns of the compiler's wire format; the hint
 * and the catalogue name from `data` (the message without its appended
 * "Hint:" line); related locations in the same document kept.
 */
import { Either, Schema } from "effect"
import type { EditorDiagnostic, RelatedLocation } from "./diagnostics.js"

const Position = Schema.Struct({ line: Schema.Int, character: Schema.Int })
const Range = Schema.Struct({ start: Position, end: Position })

const LspDiagnostic = Schema.Struct({
  range: Range,
  message: Schema.String,
  code: Schema.optional(Schema.Union(Schema.String, Schema.Number)),
  relatedInformation: Schema.optional(Schema.Array(Schema.Struct({
    location: Schema.Struct({ uri: Schema.String, range: Range }),
    message: Schema.String
  }))),
  data: Schema.optional(Schema.Struct({ name: Schema.optional(Schema.String), hint: Schema.optional(Schema.String) }))
})

/** The parameters of a `textDocument/publishDiagnostics` notification. */
export const PublishDiagnostics = Schema.Struct({
  uri: Schema.String,
  version: Schema.optional(Schema.Int),
  diagnostics: Schema.Array(LspDiagnostic)
})
export type PublishDiagnostics = typeof PublishDiagnostics.Type

const decode = Schema.decodeUnknownEither(PublishDiagnostics)

/** The notification's parameters, or undefined when they are not a publishDiagnostics'. */
export const decodePublishDiagnostics = (params: unknown): PublishDiagnostics | undefined => {
  const decoded = decode(params)
  return Either.isRight(decoded) ? decoded.right : undefined
}

const withoutHint = (message: string, hint: string | undefined): string => {
  const suffix = hint === undefined ? undefined : `\nHint: ${hint}`
  return suffix !== undefined && message.endsWith(suffix) ? message.slice(0, -suffix.length) : message
}

/** The editor's diagnostics of one publication for the document `uri`. */
export const editorDiagnostics = (published: PublishDiagnostics, uri: string): ReadonlyArray<EditorDiagnostic> =>
  published.diagnostics.map((d) => {
    const hint = d.data?.hint
    const related: ReadonlyArray<RelatedLocation> = (d.relatedInformation ?? [])
      .filter((r) => r.location.uri === uri)
      .map((r) => ({ line: r.location.range.start.line + 1, column: r.location.range.start.character + 1, message: r.message }))
    return {
      code: d.code === undefined ? "" : String(d.code),
      name: d.data?.name ?? "",
      message: withoutHint(d.message, hint),
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      ...(hint === undefined ? {} : { hint }),
      ...(related.length === 0 ? {} : { related })
    }
  })
