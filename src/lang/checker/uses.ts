/**
 * The `use` declarations of a program: which namespaces it imports and
 * under which aliases. A `use` applies to the whole pipeline, wherever it
 * stands. Reports an unknown namespace (E250) and an alias that clashes
 * with another alias, a namespace or a value of the pipeline (E253).
 *
 * - `use stdlib.math` imports every member of `stdlib.math`: `add(...)`
 *   calls `stdlib.math.add`. Its last segment also works as a prefix,
 *   `math.add(...)`, as the reference's language pages show.
 * - `use stdlib.math as m` makes `m.add(...)` call `stdlib.math.add`.
 */
import type { Program, UseDecl } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import type { Diagnostic } from "../diagnostic.js"
import type { Span } from "../span.js"
import { splitQualified } from "../namespaces/NamespaceIndex.js"
import type { NamespaceIndex } from "../namespaces/NamespaceIndex.js"
import type { Scope } from "./scope.js"
import { didYouMean } from "./suggest.js"

/** One imported namespace. */
export interface Import {
  readonly namespace: string
  readonly decl: UseDecl
}

export interface UseScope {
  readonly index: NamespaceIndex
  /** Namespaces imported without an alias, in source order: their members are called by their own names. */
  readonly wildcards: ReadonlyArray<Import>
  /** `as` aliases. */
  readonly aliases: ReadonlyMap<string, Import>
  /** The last segment of each namespace imported without an alias (`math` for `use stdlib.math`). */
  readonly implicit: ReadonlyMap<string, Import>
  /** Prefixes of imports already reported (unknown namespace, clashing alias): calls through them report nothing more. */
  readonly broken: ReadonlySet<string>
}

const lineOf = (span: Span): number => span.start.line

const pathSpan = (decl: UseDecl): Span => ({ start: decl.path[0]!.span.start, end: decl.path[decl.path.length - 1]!.span.end })

/** Describes a value declaration for a clash message: "the input on line 3". */
export const describeValue = (scope: Scope, name: string): string | undefined => {
  const input = scope.inputs.get(name)
  if (input !== undefined) return `the input declared on line ${lineOf(input.name.span)}`
  const assignment = scope.assignments.get(name)
  return assignment === undefined ? undefined : `the value assigned on line ${lineOf(assignment.name.span)}`
}

/** Collects the program's imports, reporting unknown namespaces and clashing aliases. */
export const collectUses = (program: Program, index: NamespaceIndex, scope: Scope, report: (d: Diagnostic) => void): UseScope => {
  const wildcards: Array<Import> = []
  const aliases = new Map<string, Import>()
  const implicit = new Map<string, Import>()
  const broken = new Set<string>()
  for (const decl of program.declarations) {
    if (decl._tag !== "UseDecl") continue
    const namespace = decl.path.map((p) => p.name).join(".")
    if (!index.namespaces.has(namespace)) {
      report(unknownNamespace(namespace, pathSpan(decl), index))
      broken.add(decl.name.name)
      continue
    }
    const imported: Import = { namespace, decl }
    if (decl.alias === undefined) {
      if (!wildcards.some((w) => w.namespace === namespace)) wildcards.push(imported)
      if (!implicit.has(decl.name.name)) implicit.set(decl.name.name, imported)
      continue
    }
    const alias = decl.alias.name
    const first = aliases.get(alias)
    const value = describeValue(scope, alias)
    if (first !== undefined && first.namespace !== namespace) {
      report(diagnostic(
        "NameClash",
        `The alias \`${alias}\` already names ${first.namespace} (use on line ${lineOf(first.decl.span)}); here it would name ${namespace}.`,
        decl.alias.span,
        "Give each namespace its own alias."
      ))
    } else if (value !== undefined) {
      report(diagnostic(
        "NameClash",
        `\`${alias}\` is both the alias of ${namespace} and ${value}.`,
        decl.alias.span,
        `Choose another alias, like \`use ${namespace} as ${alias}_ns\`, or rename the value.`
      ))
    } else if (index.namespaces.has(alias) && alias !== namespace) {
      report(diagnostic(
        "NameClash",
        `The alias \`${alias}\` is already the name of the namespace ${alias}; as an alias of ${namespace} it would hide it.`,
        decl.alias.span,
        "Choose an alias that is not the name of a namespace."
      ))
    } else {
      if (first === undefined) aliases.set(alias, imported)
      continue
    }
    broken.add(alias)
  }
  return { index, wildcards, aliases, implicit, broken }
}

/** E250 for a namespace that does not exist, with the closest one (or the list of them) as a hint. */
export const unknownNamespace = (namespace: string, span: Span, index: NamespaceIndex): Diagnostic => {
  const [parent, member] = splitQualified(namespace)
  if (index.members.get(parent)?.has(member) === true) {
    return diagnostic("UnknownNamespace", `Unknown namespace \`${namespace}\`: it is a function of ${parent}, not a namespace.`, span,
      `Import its namespace: use ${parent}.`)
  }
  const known = [...index.members.keys()].sort()
  return diagnostic("UnknownNamespace", `Unknown namespace \`${namespace}\`.`, span,
    didYouMean(namespace, index.namespaces) ?? `The namespaces are ${known.join(", ")}.`)
}
