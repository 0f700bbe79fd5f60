/**
 * Positions for the pipeline's picture, left to right, computed by dagre.
 */
import dagre from "@dagrejs/dagre"
import type { EdgeLabel, GraphLabel, NodeLabel } from "@dagrejs/dagre"
import { drawnTexts } from "./graph.js"
import type { GraphEdge, GraphNode, PipelineGraph } from "./graph.js"

export interface Point {
  readonly x: number
  readonly y: number
}

/** A node with its centre and size. */
export interface PlacedNode extends GraphNode, Point {
  readonly width: number
  readonly height: number
}

export interface PlacedEdge extends GraphEdge {
  readonly points: ReadonlyArray<Point>
}

export interface Layout {
  readonly nodes: ReadonlyArray<PlacedNode>
  readonly edges: ReadonlyArray<PlacedEdge>
  readonly width: number
  readonly height: number
}

const CHAR_WIDTH = 7.4
const HEIGHT = { input: 40, module: 52, output: 40 } as const

const sizeOf = (node: GraphNode): { width: number; height: number } => {
  const { label, detail } = drawnTexts(node)
  return { width: Math.round(Math.max(112, Math.max(label.length + 2, detail.length) * CHAR_WIDTH + 34)), height: HEIGHT[node.kind] }
}

/** Each node's rank: the longest path to it from a node with no inputs. */
const ranksOf = (graph: PipelineGraph): ReadonlyMap<string, number> => {
  const into = new Map<string, Array<string>>()
  for (const e of graph.edges) into.set(e.to, [...(into.get(e.to) ?? []), e.from])
  const ranks = new Map<string, number>()
  const rank = (id: string): number => {
    const known = ranks.get(id)
    if (known !== undefined) return known
    ranks.set(id, 0)
    const r = Math.max(-1, ...(into.get(id) ?? []).map(rank)) + 1
    ranks.set(id, r)
    return r
  }
  for (const node of graph.nodes) rank(node.id)
  return ranks
}

/**
 * Lays out the graph; an empty graph has size 0. Outputs all go in the
 * last column (their edges are stretched to reach it), so the picture
 * reads from the inputs on the left to the outputs on the right.
 */
export const layoutGraph = (graph: PipelineGraph): Layout => {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>()
  g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 56, marginx: 12, marginy: 12 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const node of graph.nodes) g.setNode(node.id, sizeOf(node))
  const ranks = ranksOf(graph)
  const outputs = new Set(graph.nodes.filter((n) => n.kind === "output").map((n) => n.id))
  const lastRank = Math.max(0, ...graph.nodes.filter((n) => !outputs.has(n.id)).map((n) => ranks.get(n.id) ?? 0)) + 1
  for (const edge of graph.edges) {
    const minlen = outputs.has(edge.to) ? Math.max(1, lastRank - (ranks.get(edge.from) ?? 0)) : 1
    g.setEdge(edge.from, edge.to, { minlen })
  }
  dagre.layout(g)
  const nodes = graph.nodes.map((node): PlacedNode => {
    const placed = g.node(node.id)
    return { ...node, x: placed.x ?? 0, y: placed.y ?? 0, width: placed.width, height: placed.height }
  })
  const edges = graph.edges.map((edge): PlacedEdge => ({ ...edge, points: g.edge(edge.from, edge.to)?.points ?? [] }))
  const size = g.graph()
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 }
}
