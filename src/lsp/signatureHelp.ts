/**
 * Signature help inside a call's parentheses: the function's signature,
 * its description, and the parameter the caret is at (by the commas
 * before it at the call's own depth), from the tokens, so it works while
 * the call is still being written.
 */
import type { SignatureHelp } from "vscode-languageserver"
import type { Analysis } from "./Analysis.js"
import { caretTokens, chainBefore, openBracketBefore } from "./caretTokens.js"
import { importsOf, resolveCallable } from "./functions.js"

/** The signature help at `offset`, or `null` outside a call's arguments. */
export const signatureHelpAt = (analysis: Analysis, offset: number): SignatureHelp | null => {
  const caret = caretTokens(analysis.tokens(), analysis.text, offset)
  if (caret.inText) return null
  const { tokens } = caret
  const last = caret.word === undefined ? caret.prev : caret.prev + 1
  let from = last
  while (from >= 0) {
    const open = openBracketBefore(tokens, from)
    if (open < 0) return null
    const chain = tokens[open]!.kind === "(" ? chainBefore(tokens, open - 1) : []
    if (chain.length === 0) {
      from = open - 1
      continue
    }
    const callable = resolveCallable(analysis.registry, importsOf(analysis.program, analysis.registry), chain.join("."))
    if (callable === undefined) return null
    let active = 0
    let depth = 0
    for (let i = open + 1; i <= last; i++) {
      const kind = tokens[i]!.kind
      if (kind === "(" || kind === "[" || kind === "{" || kind === "InterpStart") depth++
      else if (kind === ")" || kind === "]" || kind === "}" || kind === "InterpEnd") depth--
      else if (kind === "," && depth === 0) active++
    }
    // Label offsets of each parameter within the signature, so editors can underline it.
    const sig = callable.signature
    let at = sig.indexOf("(") + 1
    const parameters = callable.params.map((p) => {
      const start = sig.indexOf(p.label, at)
      at = start + p.label.length
      return { label: [start, start + p.label.length] as [number, number] }
    })
    return {
      signatures: [{ label: sig, documentation: { kind: "markdown", value: callable.description }, parameters }],
      activeSignature: 0,
      activeParameter: Math.min(active, Math.max(0, parameters.length - 1))
    }
  }
  return null
}
