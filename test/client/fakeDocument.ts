/**
 * Just enough of a DOM to run the browser example of docs/clients.md in
 * Node: `querySelector`, `createElement`, `append` and click listeners.
 */

export interface FakeElement {
  textContent: string
  readonly children: Array<string>
  readonly append: (child: FakeElement | string) => void
  readonly addEventListener: (type: string, listener: () => void) => void
  readonly click: () => void
}

export interface FakeDocument {
  readonly querySelector: (selector: string) => FakeElement
  readonly createElement: (tag: string) => FakeElement
  /** The element of a selector, as the page would have it. */
  readonly element: (selector: string) => FakeElement
}

const makeElement = (): FakeElement => {
  const listeners: Array<() => void> = []
  const children: Array<string> = []
  return {
    textContent: "",
    children,
    append: (child) => void children.push(typeof child === "string" ? child : child.textContent),
    addEventListener: (type, listener) => {
      if (type === "click") listeners.push(listener)
    },
    click: () => listeners.forEach((l) => l())
  }
}

export const fakeDocument = (): FakeDocument => {
  const elements = new Map<string, FakeElement>()
  const element = (selector: string): FakeElement => {
    const existing = elements.get(selector)
    if (existing !== undefined) return existing
    const created = makeElement()
    elements.set(selector, created)
    return created
  }
  return { querySelector: element, createElement: makeElement, element }
}
