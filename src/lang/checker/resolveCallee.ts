/**
 * Which function a call names. A plain name (`Uppercase`, `add`) is, in
 * this order: a top-level module or a member of a namespace the pipeline
 * imports with `use` (both at once is ambiguous, E252); else the one
 * namespace member of that name anywhere (several: E252); else unknown
 * (E400). A qualified name (`m.add`, `math.add`, `stdlib.math.add`)
 * starts with an alias, a namespace, or the last segment of a namespace
 * imported without alias, in that order; its first segment must not also
 * be a value of the pipeline (E253). An unknown namespace is E250, an
 * unknown member E251.
 *
 * A name may also resolve to an intrinsic (the higher-order functions of
 * stdlib.collection), which is a language construct, not a module.
 */
import { diagnostic } from "../diagnostic.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"
import { intrinsicNames } from "../namespaces/intrinsics.js"
import { splitQualified } from "../namespaces/NamespaceIndex.js"
import type { CallExpr } from "./CheckedProgram.js"
import type { CheckContext } from "./context.js"
import { didYouMean } from "./suggest.js"
import { unknownNamespace } from "./uses.js"
import type { Import } from "./uses.js"

export type Callee =
  | { readonly _tag: "Module"; readonly module: RegisteredModule }
  | { readonly _tag: "Intrinsic"; readonly name: string }

const line = (i: Import): number => i.decl.span.start.line

/** The function `call` names, or `undefined` after reporting why there is none. */
export const resolveCallee = (ctx: CheckContext, call: CallExpr): Callee | undefined => {
  const name = call.callee.name
  return name.includes(".") ? resolveQualified(ctx, call, name) : resolveSimple(ctx, call, name)
}

const byName = (ctx: CheckContext, qualified: string): Callee | undefined => {
  const module = ctx.registry.get(qualified)
  if (module !== undefined) return { _tag: "Module", module }
  return intrinsicNames.has(qualified) ? { _tag: "Intrinsic", name: qualified } : undefined
}

const resolveSimple = (ctx: CheckContext, call: CallExpr, name: string): Callee | undefined => {
  const uses = ctx.uses
  const direct = ctx.registry.get(name)
  if (uses.wildcards.length === 0 && direct !== undefined) return { _tag: "Module", module: direct }
  const imported = uses.wildcards.flatMap((w) => {
    const qualified = uses.index.members.get(w.namespace)?.get(name)
    return qualified === undefined ? [] : [{ qualified, from: w }]
  })
  const found = [...(direct === undefined ? [] : [{ qualified: name, from: undefined }]), ...imported]
  if (found.length === 1) return byName(ctx, found[0]!.qualified)
  if (found.length > 1) {
    const names = found.map((f) => f.from === undefined ? `the module ${f.qualified}` : `${f.qualified} (use on line ${line(f.from)})`)
    ctx.report(diagnostic(
      "AmbiguousName",
      `\`${name}\` is ambiguous: it names ${names.join(" and ")}.`,
      call.callee.span,
      `Call it by its full name (${found[found.length - 1]!.qualified}(...)), or import a namespace with an alias: use ${found[found.length - 1]!.qualified.slice(0, -name.length - 1)} as x.`
    ))
    return undefined
  }
  const elsewhere = uses.index.bySimpleName.get(name) ?? []
  if (elsewhere.length === 1) return byName(ctx, elsewhere[0]!)
  if (elsewhere.length > 1) {
    ctx.report(diagnostic(
      "AmbiguousName",
      `\`${name}\` is ambiguous: it names ${elsewhere.join(" and ")}, and no \`use\` says which.`,
      call.callee.span,
      `Call it by its full name (${elsewhere[0]}(...)), or import the namespace you mean: use ${splitQualified(elsewhere[0]!)[0]}.`
    ))
    return undefined
  }
  ctx.report(diagnostic(
    "UnknownModule",
    `Unknown module \`${name}\`: no module of that name is registered.`,
    call.callee.span,
    didYouMean(name, [...ctx.registry.list().map((m) => m.name).filter((n) => !n.includes(".")), ...uses.index.bySimpleName.keys()])
  ))
  return undefined
}

const resolveQualified = (ctx: CheckContext, call: CallExpr, name: string): Callee | undefined => {
  const uses = ctx.uses
  const span = call.callee.span
  const dot = name.indexOf(".")
  const first = name.slice(0, dot)
  const rest = name.slice(dot + 1)
  if (uses.broken.has(first) && !uses.aliases.has(first)) return undefined
  const alias = uses.aliases.get(first)
  const implicit = alias === undefined && !uses.index.namespaces.has(first) ? uses.implicit.get(first) : undefined
  const via = alias ?? implicit
  const value = ctx.valueType(first) !== undefined
  if (value && (via !== undefined || uses.index.namespaces.has(first))) {
    const what = via !== undefined ? `the alias of ${via.namespace} (use on line ${line(via)})` : `the namespace ${first}`
    ctx.report(diagnostic(
      "NameClash",
      `\`${first}\` is both a value of this pipeline and ${what}, so \`${name}(...)\` is unclear.`,
      span,
      via !== undefined && alias !== undefined ? "Rename the value or choose another alias." : "Rename the value."
    ))
    return undefined
  }
  const qualified = via === undefined ? name : `${via.namespace}.${rest}`
  const callee = byName(ctx, qualified)
  if (callee !== undefined) return callee
  if (value) {
    ctx.report(diagnostic(
      "UnknownNamespace",
      `\`${first}\` is a value, not a namespace: \`${name}(...)\` calls nothing.`,
      span,
      `Pass the value to a function as an argument instead, like ${splitQualified(name)[1]}(${first}).`
    ))
    return undefined
  }
  const [namespace, member] = splitQualified(qualified)
  const members = uses.index.members.get(namespace)
  if (members === undefined && !uses.index.namespaces.has(namespace)) {
    ctx.report(unknownNamespace(namespace, span, uses.index))
    return undefined
  }
  const others = (uses.index.bySimpleName.get(member) ?? []).filter((q) => q !== qualified)
  const expanded = via === undefined ? "" : ` (\`${first}\` is ${via.namespace})`
  ctx.report(diagnostic(
    "UnknownMember",
    `${namespace} has no function \`${member}\`${expanded}.`,
    span,
    didYouMean(member, members?.keys() ?? []) ?? (others.length > 0 ? `\`${member}\` is a function of ${others.map((q) => splitQualified(q)[0]).join(" and ")}.` : undefined)
  ))
  return undefined
}
