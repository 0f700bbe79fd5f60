/**
 * The functions a pipeline can call, as the editor shows them: modules of
 * the registry and the built-in list functions, each with its signature,
 * parameters and description; and the lookup of a written callee
 * (`Uppercase`, `m.add`, `math.add`, `add` after `use stdlib.math`)
 * through the document's `use` declarations, as the checker resolves it.
 */
import { listFunctions, listFunctionSignature } from "../lang/listFunctions.js"
import { namespaceIndex, splitQualified } from "../lang/namespaces/NamespaceIndex.js"
import type { NamespaceIndex } from "../lang/namespaces/NamespaceIndex.js"
import type { Program } from "../lang/ast.js"
import { printParameter, signature } from "../modules/ModuleRegistry.js"
import type { ModuleRegistryShape, RegisteredModule } from "../modules/ModuleRegistry.js"

export interface Callable {
  /** Its full name (`stdlib.math.add`, `Uppercase`, `filter`). */
  readonly name: string
  readonly kind: "module" | "listFunction"
  readonly signature: string
  readonly params: ReadonlyArray<{ readonly label: string; readonly name: string }>
  readonly description: string
}

export const moduleCallable = (m: RegisteredModule): Callable => ({
  name: m.name,
  kind: "module",
  signature: signature(m),
  params: m.params.map((p) => ({ label: printParameter(p), name: p.name })),
  description: m.description
})

const listCallables: ReadonlyMap<string, Callable> = new Map([...listFunctions.values()].map((f) => {
  const sig = listFunctionSignature(f)
  const inside = sig.slice(sig.indexOf("(") + 1, sig.lastIndexOf("):"))
  const labels = [inside.slice(0, inside.indexOf(", ")), inside.slice(inside.indexOf(", ") + 2)]
  return [f.name, {
    name: f.name,
    kind: "listFunction",
    signature: sig,
    params: labels.map((label) => ({ label, name: label.slice(0, label.indexOf(":")) })),
    description: f.description
  }] as const
}))

/** The built-in list functions (`filter`, `map`, `all`, `any`). */
export const listFunctionCallables = (): Iterable<Callable> => listCallables.values()

/** The namespaces a document imports: `as` aliases and wildcard imports. */
export interface Imports {
  readonly index: NamespaceIndex
  readonly aliases: ReadonlyMap<string, string>
  readonly wildcards: ReadonlyArray<string>
}

export const importsOf = (program: Program, registry: ModuleRegistryShape): Imports => {
  const aliases = new Map<string, string>()
  const wildcards: Array<string> = []
  for (const decl of program.declarations) {
    if (decl._tag !== "UseDecl") continue
    const namespace = decl.path.map((p) => p.name).join(".")
    if (decl.alias === undefined) wildcards.push(namespace)
    else aliases.set(decl.alias.name, namespace)
  }
  return { index: namespaceIndex(registry), aliases, wildcards }
}

const byQualified = (registry: ModuleRegistryShape, name: string): Callable | undefined => {
  const m = registry.get(name)
  if (m !== undefined) return moduleCallable(m)
  const [ns, member] = splitQualified(name)
  return ns === "stdlib.collection" ? listCallables.get(member) : undefined
}

/** The function a written callee names in this document, if it names one. */
export const resolveCallable = (registry: ModuleRegistryShape, imports: Imports, written: string): Callable | undefined => {
  const direct = byQualified(registry, written)
  if (direct !== undefined) return direct
  const dot = written.indexOf(".")
  if (dot >= 0) {
    const first = written.slice(0, dot)
    const rest = written.slice(dot + 1)
    const alias = imports.aliases.get(first) ?? imports.wildcards.find((w) => splitQualified(w)[1] === first)
    return alias === undefined ? undefined : byQualified(registry, `${alias}.${rest}`)
  }
  for (const w of imports.wildcards) {
    const qualified = imports.index.members.get(w)?.get(written)
    if (qualified !== undefined) return byQualified(registry, qualified)
  }
  const list = listCallables.get(written)
  if (list !== undefined) return list
  const elsewhere = imports.index.bySimpleName.get(written) ?? []
  return elsewhere.length === 1 ? byQualified(registry, elsewhere[0]!) : undefined
}

/** Markdown for a function: its signature in a code block, then its description. */
export const callableMarkdown = (c: Callable): string =>
  ["```constellation", c.signature, "```", "", c.description].join("\n")
