/**
 * The program's declarations by name. Inputs and assignments share one
 * namespace, type aliases have their own; declarations may come in any
 * order. Reports duplicate definitions (E201), outputs of undeclared names
 * (E203), a program without outputs (E204) and repeated outputs (E207).
 */
import type { Program } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import type { Diagnostic } from "../diagnostic.js"
import { emptySpan } from "../span.js"
import type { Assignment, InputDecl, OutputDecl, TypeAlias } from "./CheckedProgram.js"
import { builtinTypes } from "./resolveType.js"
import { didYouMean } from "./suggest.js"

export interface Scope {
  readonly inputs: ReadonlyMap<string, InputDecl>
  readonly assignments: ReadonlyMap<string, Assignment>
  readonly aliases: ReadonlyMap<string, TypeAlias>
  /** Each output once, in declaration order, only names that are defined. */
  readonly outputs: ReadonlyArray<OutputDecl>
  /** Second definitions of a name: checked for their own errors, never bound. */
  readonly shadowed: ReadonlyArray<Assignment | InputDecl>
}

export const collectScope = (program: Program, report: (d: Diagnostic) => void): Scope => {
  const inputs = new Map<string, InputDecl>()
  const assignments = new Map<string, Assignment>()
  const aliases = new Map<string, TypeAlias>()
  const shadowed: Array<Assignment | InputDecl> = []
  const declaredOutputs: Array<OutputDecl> = []
  const outputLines = new Map<string, number>()

  for (const decl of program.declarations) {
    const name = decl.name.name
    switch (decl._tag) {
      case "InputDecl":
      case "Assignment": {
        const first = inputs.get(name) ?? assignments.get(name)
        if (first !== undefined) {
          report(diagnostic(
            "DuplicateDefinition",
            `\`${name}\` is already defined on line ${first.name.span.start.line}. Each input and assignment needs its own name.`,
            decl.name.span
          ))
          shadowed.push(decl)
        } else if (decl._tag === "InputDecl") inputs.set(name, decl)
        else assignments.set(name, decl)
        break
      }
      case "TypeAlias": {
        const first = aliases.get(name)
        if (builtinTypes.has(name) || first !== undefined) {
          report(diagnostic(
            "DuplicateDefinition",
            first === undefined
              ? `\`${name}\` is a built-in type and cannot be redefined.`
              : `The type \`${name}\` is already defined on line ${first.name.span.start.line}.`,
            decl.name.span
          ))
        } else aliases.set(name, decl)
        break
      }
      case "OutputDecl": {
        const firstLine = outputLines.get(name)
        if (firstLine !== undefined) {
          report(diagnostic("DuplicateOutput", `\`${name}\` is already declared as an output on line ${firstLine}.`, decl.name.span))
        } else {
          outputLines.set(name, decl.name.span.start.line)
          declaredOutputs.push(decl)
        }
        break
      }
    }
  }

  const outputs = declaredOutputs.filter((out) => {
    const name = out.name.name
    if (inputs.has(name) || assignments.has(name)) return true
    report(diagnostic(
      "OutputNotDeclared",
      `\`out ${name}\` names nothing: there is no input or assignment called \`${name}\`.`,
      out.name.span,
      didYouMean(name, [...inputs.keys(), ...assignments.keys()])
    ))
    return false
  })
  if (declaredOutputs.length === 0) {
    report(diagnostic(
      "NoOutputs",
      "The pipeline declares no outputs. Add `out name` for each value it should return.",
      emptySpan
    ))
  }
  return { inputs, assignments, aliases, outputs, shadowed }
}
