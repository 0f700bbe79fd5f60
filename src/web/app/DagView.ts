/**
 * The pipeline's DAG as an SVG picture: inputs, module calls and outputs,
 * laid out by dagre. During a run each node's `data-status` follows the
 * run (queued, running, done, failed, skipped), which the stylesheet
 * colours, and each module shows its latency. Long labels and types are
 * cut; each node's tooltip (`<title>`) has them in full.
 */
import { el, replaceChildren, svg } from "./dom.js"
import { formatMs } from "./format.js"
import { drawnTexts, moduleId, outputId } from "./graph.js"
import type { PipelineGraph } from "./graph.js"
import { layoutGraph } from "./layout.js"
import type { PlacedEdge, PlacedNode } from "./layout.js"
import type { NodeStatus, RunState } from "./runState.js"

export interface DagView {
  readonly element: HTMLElement
  readonly setGraph: (graph: PipelineGraph | undefined) => void
  readonly update: (run: RunState | undefined) => void
}

interface NodeParts {
  readonly node: PlacedNode
  readonly group: SVGGElement
  readonly caption: SVGTextElement
  readonly tooltip: SVGTitleElement
}

interface Look {
  readonly status: NodeStatus
  readonly caption: string
  readonly tooltip: string
}

const pathOf = (points: ReadonlyArray<{ readonly x: number; readonly y: number }>): string =>
  points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")

const moduleLook = (node: PlacedNode, run: RunState | undefined): Look => {
  const m = run?.modules.find((x) => moduleId(x.node) === node.id)
  if (run === undefined || m === undefined || m.status === "idle") {
    return { status: "idle", caption: drawnTexts(node).detail, tooltip: `${node.label} ${node.detail}` }
  }
  const latency = m.latencyMs === undefined ? "" : formatMs(m.latencyMs)
  const retry = m.attempt > 1 ? ` · attempt ${m.attempt}` : ""
  const caption = {
    queued: "queued",
    running: `running…${retry}`,
    done: latency,
    failed: `failed · ${latency}`,
    skipped: "skipped",
    cancelled: "cancelled"
  }[m.status]
  const why = m.error !== undefined ? `: ${m.error.message}` : m.skippedBecause !== undefined ? `: ${m.skippedBecause}` : ""
  return { status: m.status, caption, tooltip: `${node.label} ${m.status}${latency === "" ? "" : ` in ${latency}`}${why}` }
}

const outputLook = (node: PlacedNode, run: RunState | undefined): Look => {
  const o = run?.outputs.find((x) => outputId(x.name) === node.id)
  if (run === undefined || o === undefined) return { status: "idle", caption: drawnTexts(node).detail, tooltip: `output ${node.label}: ${node.detail}` }
  const status: NodeStatus = o.status === "waiting" ? "queued" : o.status
  const caption = o.atMs === undefined ? (o.status === "waiting" ? "waiting" : o.status) : `at ${formatMs(o.atMs)}`
  return { status, caption, tooltip: `output ${node.label} ${o.status}${o.error === undefined ? "" : `: ${o.error.message}`}` }
}

const lookOf = (node: PlacedNode, run: RunState | undefined): Look => {
  if (node.kind === "module") return moduleLook(node, run)
  if (node.kind === "output") return outputLook(node, run)
  return { status: run === undefined ? "idle" : "done", caption: drawnTexts(node).detail, tooltip: `input ${node.label}: ${node.detail}` }
}

const drawNode = (node: PlacedNode): NodeParts => {
  const { width: w, height: h } = node
  const radius = node.kind === "module" ? 8 : h / 2
  const caption = svg("text", { class: "node-caption", attrs: { x: 0, y: 13, "text-anchor": "middle" } })
  const tooltip = svg("title")
  const group = svg("g", {
    class: ["node", `node-${node.kind}`],
    attrs: { transform: `translate(${node.x},${node.y})`, "data-node-id": node.id, "data-status": "idle" }
  },
  tooltip,
  svg("rect", { class: "node-box", attrs: { x: -w / 2, y: -h / 2, width: w, height: h, rx: radius, ry: radius } }),
  svg("text", { class: "node-label", text: drawnTexts(node).label, attrs: { x: 0, y: -3, "text-anchor": "middle" } }),
  caption)
  return { node, group, caption, tooltip }
}

const drawEdge = (edge: PlacedEdge): SVGPathElement =>
  svg("path", { class: "edge", attrs: { d: pathOf(edge.points), "marker-end": "url(#arrow)", "data-from": edge.from } })

const arrowMarker = (): SVGDefsElement =>
  svg("defs", {}, svg("marker", {
    attrs: { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }
  }, svg("path", { class: "arrow-head", attrs: { d: "M0,0 L10,5 L0,10 z" } })))

export const makeDagView = (): DagView => {
  const canvas = el("div", { class: "dag-canvas" })
  const element = el("div", { class: "dag" }, canvas)
  let parts: ReadonlyArray<NodeParts> = []
  let edges: ReadonlyArray<SVGPathElement> = []
  let picture: SVGSVGElement | undefined

  const setGraph = (graph: PipelineGraph | undefined) => {
    if (graph === undefined || graph.nodes.length === 0) {
      parts = []
      edges = []
      picture = undefined
      replaceChildren(canvas, el("p", { class: "muted", text: "The graph appears once the pipeline compiles." }))
      return
    }
    const layout = layoutGraph(graph)
    parts = layout.nodes.map(drawNode)
    edges = layout.edges.map(drawEdge)
    picture = svg("svg", {
      class: "dag-svg",
      attrs: { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, role: "img" }
    }, arrowMarker(), svg("g", {}, ...edges), svg("g", {}, ...parts.map((p) => p.group)))
    replaceChildren(canvas, picture)
  }

  const update = (run: RunState | undefined) => {
    const statusOf = new Map<string, NodeStatus>()
    for (const p of parts) {
      const look = lookOf(p.node, run)
      statusOf.set(p.node.id, look.status)
      p.group.setAttribute("data-status", look.status)
      p.caption.textContent = look.caption
      p.tooltip.textContent = look.tooltip
    }
    for (const e of edges) e.setAttribute("data-status", statusOf.get(e.getAttribute("data-from") ?? "") ?? "idle")
    const counts = [...statusOf.values()].reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<NodeStatus, number>())
    const summary = [...counts.entries()].map(([s, n]) => `${n} ${s}`).join(", ")
    picture?.setAttribute("aria-label", `Pipeline graph of ${parts.length} nodes: ${summary}`)
  }

  return { element, setGraph, update }
}

const legendStatuses: ReadonlyArray<NodeStatus> = ["queued", "running", "done", "failed", "skipped"]

/** What the colours of the graph mean. */
export const makeLegend = (): HTMLElement =>
  el("ul", { class: "legend", attrs: { "aria-label": "Colours of the graph" } },
    ...legendStatuses.map((s) => el("li", { attrs: { "data-status": s } }, el("span", { class: "swatch" }), s)))
