/**
 * The picture of a pipeline: its inputs, module calls and outputs, with an
 * edge wherever one feeds another. Inline expressions (literals,
 * arithmetic, interpolation) are not drawn; an edge goes through them to
 * what they read.
 */
import type { CompileResponse } from "../../protocol/api.js"
import type { DagSpec } from "../../lang/dag.js"
import { shorten } from "./format.js"

export type NodeKind = "input" | "module" | "output"

export interface GraphNode {
  /** `in:<name>`, `m<j>` (module node j, the `node` of module events) or `out:<name>`. */
  readonly id: string
  readonly kind: NodeKind
  /** The input's or output's name, or the module's. */
  readonly label: string
  /** The type of an input or output; for a module, the value it computes. */
  readonly detail: string
}

export interface GraphEdge {
  readonly from: string
  readonly to: string
}

export interface PipelineGraph {
  readonly nodes: ReadonlyArray<GraphNode>
  readonly edges: ReadonlyArray<GraphEdge>
}

/** The most characters of a node's label and of its detail the graph draws; the node's tooltip has the full texts. */
export const MAX_LABEL_CHARS = 24
export const MAX_DETAIL_CHARS = 30

/** The label and the detail as drawn: a wide record type is cut, `{name: String, age: Int, ema…`. */
export const drawnTexts = (node: GraphNode): { readonly label: string; readonly detail: string } => ({
  label: shorten(node.label, MAX_LABEL_CHARS),
  detail: shorten(node.detail, MAX_DETAIL_CHARS)
})

export const inputId = (name: string): string => `in:${name}`
export const moduleId = (node: number): string => `m${node}`
export const outputId = (name: string): string => `out:${name}`

/** `quick` for a declared value; `inside quick` for a generated one such as `quick#arg0`. */
const describeValue = (dataName: string): string => {
  const hash = dataName.indexOf("#")
  return hash < 0 ? `→ ${dataName}` : `inside ${dataName.slice(0, hash)}`
}

/** The drawn nodes a data node's value comes from, looking through inline expressions. */
const makeSources = (dag: DagSpec): ((data: number) => ReadonlyArray<string>) => {
  const memo = new Map<number, ReadonlyArray<string>>()
  const sources = (data: number): ReadonlyArray<string> => {
    const known = memo.get(data)
    if (known !== undefined) return known
    memo.set(data, [])
    const source = dag.data[data]?.source
    let found: ReadonlyArray<string> = []
    if (source?._tag === "Input") found = [inputId(source.input)]
    else if (source?._tag === "Module") found = [moduleId(source.module)]
    else if (source?._tag === "Inline") found = [...new Set(source.deps.flatMap(sources))]
    memo.set(data, found)
    return found
  }
  return sources
}

/** The graph to draw for a compiled DAG. */
export const pipelineGraph = (compiled: CompileResponse): PipelineGraph => {
  const { dag } = compiled
  const sources = makeSources(dag)
  const nodes: Array<GraphNode> = [
    ...dag.inputs.map((b): GraphNode => ({ id: inputId(b.name), kind: "input", label: b.name, detail: compiled.inputs[b.name] ?? "" })),
    ...dag.modules.map((m): GraphNode => ({
      id: moduleId(m.id),
      kind: "module",
      label: m.module,
      detail: describeValue(dag.data[m.output]?.name ?? "")
    })),
    ...dag.outputs.map((b): GraphNode => ({ id: outputId(b.name), kind: "output", label: b.name, detail: compiled.outputs[b.name] ?? "" }))
  ]
  const edges = new Map<string, GraphEdge>()
  const link = (from: string, to: string) => edges.set(`${from}->${to}`, { from, to })
  for (const m of dag.modules) {
    const reads = [...m.args.map((a) => a.data), ...(m.options.fallback === undefined ? [] : [m.options.fallback])]
    for (const data of reads) for (const from of sources(data)) link(from, moduleId(m.id))
  }
  for (const b of dag.outputs) for (const from of sources(b.data)) link(from, outputId(b.name))
  return { nodes, edges: [...edges.values()] }
}
