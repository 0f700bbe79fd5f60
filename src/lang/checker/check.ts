/**
 * The type checker: resolves names and types, orders the declarations by
 * their dependencies, infers the type of every expression and checks every
 * call, reporting all problems found (never stopping at the first).
 */
import type { Program } from "../ast.js"
import { diagnostic } from "../diagnostic.js"
import type { Diagnostic } from "../diagnostic.js"
import { groupDigits } from "../groupDigits.js"
import { TUnknown, isAssignable, printType } from "../types.js"
import type { Type } from "../types.js"
import type { ModuleRegistryShape } from "../../modules/ModuleRegistry.js"
import type { CheckedAssignment, CheckedOutput, CheckedProgram, InputDecl } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { inferExpr } from "./expressions.js"
import { orderByDependencies } from "./graph.js"
import { referencedNames, referencedTypes } from "./references.js"
import { makeTypeResolver } from "./resolveType.js"
import { collectScope } from "./scope.js"
import { collectUses } from "./uses.js"
import { namespaceIndex } from "../namespaces/NamespaceIndex.js"
import { MAX_TOTAL_TYPE_SIZE, typeSize } from "./typeSize.js"

export interface CheckResult {
  /** Complete only when `diagnostics` is empty. */
  readonly checked: CheckedProgram
  /** In the order found; sort with `sortDiagnostics`. */
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

/** Type checks a parsed program against the modules of a registry. */
export const check = (program: Program, registry: ModuleRegistryShape): CheckResult => {
  const diagnostics: Array<Diagnostic> = []
  const report = (d: Diagnostic): void => {
    diagnostics.push(d)
  }
  const scope = collectScope(program, report)
  const uses = collectUses(program, namespaceIndex(registry), scope, report)

  const aliases = orderByDependencies([...scope.aliases.keys()], (name) => referencedTypes(scope.aliases.get(name)!.type))
  for (const cycle of aliases.cycles) {
    report(diagnostic(
      "AliasCycle",
      `The type \`${cycle[0]}\` is defined in terms of itself: ${cycle.join(" -> ")}. A type cannot contain itself.`,
      scope.aliases.get(cycle[0]!)!.name.span
    ))
  }
  const resolver = makeTypeResolver(scope.aliases, report)
  for (const name of aliases.order) resolver.resolveAlias(name)

  const valueTypes = new Map<string, Type>()
  const ctx: CheckContext = {
    registry,
    report,
    infer: (expr) => inferExpr(ctx, expr),
    // An assignment not typed yet is in a cycle (reported below): Unknown.
    valueType: (name) => valueTypes.get(name) ?? (scope.assignments.has(name) ? TUnknown : undefined),
    valueNames: () => [...scope.inputs.keys(), ...scope.assignments.keys()],
    types: new Map(),
    calls: new Map(),
    listDepths: new Map(),
    resolveType: resolver.resolve,
    uses,
    matches: new Map()
  }

  const checkInput = (input: InputDecl): Type => {
    const type = resolver.resolve(input.type)
    if (input.example !== undefined) {
      const example = ctx.infer(input.example)
      if (!isAssignable(example, type)) {
        report(diagnostic(
          "ExampleTypeMismatch",
          `The example for \`${input.name.name}\` must be ${printType(type)}, the input's type, but it is ${printType(example)}.`,
          input.example.span
        ))
      }
    }
    return type
  }
  const inputs = [...scope.inputs.values()].map((input) => {
    const type = checkInput(input)
    valueTypes.set(input.name.name, type)
    return { name: input.name.name, type, span: input.name.span }
  })

  const references = new Map<string, ReadonlyArray<string>>()
  for (const [name, a] of scope.assignments) references.set(name, referencedNames(a.value))
  const ordering = orderByDependencies([...scope.assignments.keys()], (name) => references.get(name) ?? [])
  for (const cycle of ordering.cycles) {
    report(diagnostic(
      "Cycle",
      `\`${cycle[0]}\` depends on itself: ${cycle.join(" -> ")}. A value cannot be computed from itself.`,
      scope.assignments.get(cycle[0]!)!.name.span
    ))
  }
  const assignments: Array<CheckedAssignment> = ordering.order.map((name) => {
    const value = scope.assignments.get(name)!.value
    const type = ctx.infer(value)
    valueTypes.set(name, type)
    return { name, value, type, references: references.get(name) ?? [] }
  })
  // Each type is bounded, but many values of large types would still make a DAG too large to hash or send.
  let total = 0
  for (const value of [...inputs, ...assignments]) {
    total += typeSize(value.type)
    if (total <= MAX_TOTAL_TYPE_SIZE) continue
    const decl = scope.inputs.get(value.name)?.name ?? scope.assignments.get(value.name)?.name
    const message = `The types of this pipeline's values are too large together: written out, they would have more than ${groupDigits(MAX_TOTAL_TYPE_SIZE)} parts.`
    if (decl !== undefined) report(diagnostic("TypeTooLarge", message, decl.span))
    break
  }
  for (const decl of scope.shadowed) {
    if (decl._tag === "InputDecl") checkInput(decl)
    else ctx.infer(decl.value)
  }

  const bound = new Set(scope.outputs)
  const outputs: Array<CheckedOutput> = []
  for (const decl of program.declarations) {
    if (decl._tag !== "OutputDecl") continue
    const declared = decl.type === undefined ? undefined : resolver.resolve(decl.type)
    if (!bound.has(decl)) continue
    const name = decl.name.name
    const inferred = valueTypes.get(name) ?? TUnknown
    if (declared !== undefined && decl.type !== undefined && !isAssignable(inferred, declared)) {
      report(diagnostic(
        "OutputTypeMismatch",
        `\`out ${name}\` is declared as ${printType(declared)}, but \`${name}\` is ${printType(inferred)}.`,
        decl.type.span
      ))
    }
    outputs.push({ name, type: declared ?? inferred, span: decl.name.span })
  }

  return {
    checked: { program, inputs, assignments, outputs, types: ctx.types, calls: ctx.calls, listDepths: ctx.listDepths, matches: ctx.matches },
    diagnostics
  }
}
