/**
 * The page's frame: a header, then the pipeline (editor, inputs, run
 * buttons) on the left and what a run shows (status, outputs, graph,
 * timeline, comparison) on the right.
 */
import { el } from "./dom.js"
import type { Child } from "./dom.js"

export interface PageParts {
  readonly apiKey: HTMLElement
  readonly examples: HTMLElement
  readonly editor: HTMLElement
  readonly diagnostics: HTMLElement
  readonly inputs: HTMLElement
  readonly controls: HTMLElement
  readonly status: HTMLElement
  readonly outputs: HTMLElement
  readonly dag: HTMLElement
  readonly legend: HTMLElement
  readonly timeline: HTMLElement
  readonly comparison: HTMLElement
}

/** A titled section; `id` names it for `aria-labelledby`. */
export const card = (id: string, title: string, ...children: ReadonlyArray<Child>): HTMLElement =>
  el("section", { class: "card", attrs: { "aria-labelledby": `${id}-title`, id } },
    el("h2", { class: "card-title", text: title, attrs: { id: `${id}-title` } }),
    ...children)

const header = (apiKey: HTMLElement): HTMLElement =>
  el("header", { class: "top" },
    el("div", { class: "brand" },
      el("span", { class: "logo", attrs: { "aria-hidden": "true" } }),
      el("h1", { text: "Constellation" }),
      el("span", { class: "tagline", text: "Live pipeline dashboard" })),
    apiKey,
    el("nav", { attrs: { "aria-label": "Links" } },
      el("a", { text: "API docs", attrs: { href: "/docs" } }),
      el("a", { text: "Modules", attrs: { href: "/modules" } })))

const staleNote = (): HTMLElement =>
  el("p", { class: "stale-note", text: "The source does not compile: this is the last version that did." })

/** The page; its `data-stale` attribute dims the parts that show an older version of the pipeline. */
export const makePage = (p: PageParts): HTMLElement =>
  el("div", { class: "page", attrs: { "data-stale": "false" } },
    header(p.apiKey),
    el("main", { class: "grid" },
      el("div", { class: "column" },
        card("pipeline", "Pipeline", p.examples, p.editor, p.diagnostics),
        card("inputs", "Inputs", staleNote(), p.inputs, p.controls)),
      el("div", { class: "column" },
        card("run", "Run", p.status, p.outputs),
        card("graph", "Graph", staleNote(), p.dag, p.legend),
        card("timeline", "Timeline", p.timeline),
        card("comparison", "Streaming vs batch", p.comparison))))
