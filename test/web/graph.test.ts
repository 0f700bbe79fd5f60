import { describe, expect, it } from "vitest"
import { drawnTexts, MAX_DETAIL_CHARS, pipelineGraph } from "../../src/web/app/graph.js"
import { layoutGraph } from "../../src/web/app/layout.js"
import { fanOut } from "../http/support/pipelines.js"
import { compiled } from "./support/compiled.js"

describe("pipelineGraph", () => {
  it("draws the fan-out example as its input, five module calls and three outputs", async () => {
    const graph = pipelineGraph(await compiled(fanOut()))
    expect(graph.nodes.map((n) => [n.id, n.label, n.detail])).toEqual([
      ["in:query", "query", "String"],
      ["m0", "Uppercase", "inside quick"],
      ["m1", "Delay", "→ quick"],
      ["m2", "WordCount", "inside medium"],
      ["m3", "Delay", "→ medium"],
      ["m4", "Delay", "→ slow"],
      ["out:quick", "quick", "String"],
      ["out:medium", "medium", "Int"],
      ["out:slow", "slow", "String"]
    ])
    // `slow`'s argument is an interpolation of `query`: the edge goes through it.
    expect(graph.edges.map((e) => `${e.from}->${e.to}`)).toEqual([
      "in:query->m0",
      "m0->m1",
      "in:query->m2",
      "m2->m3",
      "in:query->m4",
      "m1->out:quick",
      "m3->out:medium",
      "m4->out:slow"
    ])
  })

  it("links an output computed inline straight to what it reads", async () => {
    const graph = pipelineGraph(await compiled("in n: Int\nm = Max([n, 2])\nout twice\nout m\ntwice = n * 2\n"))
    expect(graph.edges.map((e) => `${e.from}->${e.to}`)).toEqual(["in:n->m0", "in:n->out:twice", "m0->out:m"])
  })
})

describe("drawnTexts", () => {
  it("cuts a wide type, keeping the node's own detail whole", async () => {
    const type = "{name: String, age: Int, email: Optional<String>}"
    const input = pipelineGraph(await compiled(`in user: ${type}\nout user\n`)).nodes[0]!
    expect(input.detail).toBe(type)
    expect(drawnTexts(input)).toEqual({ label: "user", detail: `${type.slice(0, MAX_DETAIL_CHARS - 1)}…` })
  })

  it("leaves short texts as they are", () =>
    expect(drawnTexts({ id: "m0", kind: "module", label: "Uppercase", detail: "→ quick" })).toEqual({ label: "Uppercase", detail: "→ quick" }))
})

describe("layoutGraph", () => {
  it("sizes a node by its drawn texts, not by a wide type", async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `field${i}: String`).join(", ")
    const layout = layoutGraph(pipelineGraph(await compiled(`in user: {${fields}}\nout user\n`)))
    expect(Math.max(...layout.nodes.map((n) => n.width))).toBeLessThan(260)
  })

  it("places inputs left of the modules they feed, and those left of the outputs", async () => {
    const layout = layoutGraph(pipelineGraph(await compiled(fanOut())))
    const x = (id: string) => layout.nodes.find((n) => n.id === id)?.x ?? Number.NaN
    expect(x("in:query")).toBeLessThan(x("m0"))
    expect(x("m0")).toBeLessThan(x("m1"))
    expect(x("m1")).toBeLessThan(x("out:quick"))
    expect(layout.width).toBeGreaterThan(0)
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true)
  })
})
