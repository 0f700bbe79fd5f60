/**
 * A few typed helpers to build DOM and SVG elements without a framework.
 */

export type Child = Node | string | undefined | false

export interface Props {
  /** Class names; falsy entries are skipped. */
  readonly class?: string | ReadonlyArray<string | false | undefined>
  readonly text?: string
  /** Attributes, set with `setAttribute`; `false` or `undefined` leaves one out, `true` sets it empty. */
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>
}

const classNames = (c: Props["class"]): string =>
  typeof c === "string" ? c : (c ?? []).filter((x): x is string => typeof x === "string" && x !== "").join(" ")

const apply = (node: Element, props: Props, children: ReadonlyArray<Child>): void => {
  const names = classNames(props.class)
  if (names !== "") node.setAttribute("class", names)
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue
    node.setAttribute(name, value === true ? "" : String(value))
  }
  if (props.text !== undefined) node.textContent = props.text
  for (const child of children) if (child !== undefined && child !== false) node.append(child)
}

/** An HTML element. */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: ReadonlyArray<Child>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  apply(node, props, children)
  return node
}

const SVG_NS = "http://www.w3.org/2000/svg"

/** An SVG element. */
export const svg = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: ReadonlyArray<Child>
): SVGElementTagNameMap[K] => {
  const node = document.createElementNS(SVG_NS, tag)
  apply(node, props, children)
  return node
}

/** Replaces every child of `parent`. */
export const replaceChildren = (parent: Element, ...children: ReadonlyArray<Child>): void => {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== undefined && c !== false))
}

export interface LiveRegion {
  readonly element: HTMLElement
  /** Has screen readers read `text` (once, even if it is the same as before). */
  readonly say: (text: string) => void
}

/** A visually hidden live region, for announcing changes without re-reading whole lists. */
export const liveRegion = (): LiveRegion => {
  const element = el("div", { class: "visually-hidden", attrs: { "aria-live": "polite", "aria-atomic": "true" } })
  return {
    element,
    say: (text) => {
      element.textContent = ""
      requestAnimationFrame(() => {
        element.textContent = text
      })
    }
  }
}
