/**
 * Completion in the pipeline editor, from the language server: Ctrl+Space,
 * or typing after a `.` / `:` or a name, opens a list of what fits at the
 * caret (filtered by the name being typed); arrows move, Enter or Tab
 * inserts, Escape closes. The hover of the caret's name or expression
 * shows in a line under the editor.
 */
import { el, replaceChildren } from "./dom.js"
import type { CompletionEntry, LanguageClient } from "./LanguageClient.js"

const MAX_ITEMS = 50

/** The name being typed just before `offset`. */
const prefixAt = (text: string, offset: number): string => /[A-Za-z_][A-Za-z0-9_-]*$/.exec(text.slice(0, offset))?.[0] ?? ""

/** Markdown to plain text: code fences dropped, backticks kept off. */
const plain = (markdown: string): string => markdown.replace(/```\w*\n?/g, "").replace(/`/g, "").trim()

export const attachLanguageFeatures = (textarea: HTMLTextAreaElement, container: HTMLElement, client: LanguageClient): { readonly hoverLine: HTMLElement } => {
  const list = el("ul", { class: "completion", attrs: { role: "listbox", "aria-label": "Completions", hidden: "" } })
  const hoverLine = el("div", { class: "editor-hover", attrs: { "aria-live": "polite" } })
  container.append(list)
  let items: ReadonlyArray<CompletionEntry> = []
  let active = 0
  let prefix = ""
  let request = 0

  const close = () => {
    list.hidden = true
    items = []
  }
  const render = () => {
    replaceChildren(list, ...items.map((item, i) =>
      el("li", {
        class: ["completion-item", i === active && "active"],
        attrs: { role: "option", "data-label": item.label, "aria-selected": String(i === active) }
      }, el("span", { class: "completion-label", text: item.label }), el("span", { class: "completion-detail", text: item.detail ?? "" }))))
  }
  const place = () => {
    // Under the caret's line: the line's top from the text before the caret, at the editor's line height.
    const style = getComputedStyle(textarea)
    const lineHeight = Number.parseFloat(style.lineHeight) || 20
    const line = textarea.value.slice(0, textarea.selectionStart).split("\n").length
    list.style.top = `${Number.parseFloat(style.paddingTop) + line * lineHeight - textarea.scrollTop}px`
  }
  const open = async () => {
    const offset = textarea.selectionStart
    const ticket = ++request
    client.update(textarea.value)
    const all = await client.completion(offset).catch(() => [])
    if (ticket !== request) return
    prefix = prefixAt(textarea.value, offset)
    const lower = prefix.toLowerCase()
    // In the server's sort order, as editors show them.
    const key = (i: CompletionEntry) => i.sortText ?? i.label
    items = all.filter((i) => i.label.toLowerCase().startsWith(lower)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).slice(0, MAX_ITEMS)
    active = 0
    if (items.length === 0) return close()
    render()
    place()
    list.hidden = false
  }
  const accept = (item: CompletionEntry) => {
    const offset = textarea.selectionStart
    const start = offset - prefixAt(textarea.value, offset).length
    const insert = item.insertText ?? item.label
    textarea.setRangeText(insert, start, offset, "end")
    close()
    textarea.dispatchEvent(new Event("input", { bubbles: true }))
  }

  textarea.addEventListener("keydown", (e) => {
    if (e.key === " " && e.ctrlKey) {
      e.preventDefault()
      void open()
      return
    }
    if (list.hidden) return
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault()
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length
      render()
    } else if ((e.key === "Enter" && !e.ctrlKey && !e.metaKey) || e.key === "Tab") {
      e.preventDefault()
      const item = items[active]
      if (item !== undefined) accept(item)
    } else if (e.key === "Escape") {
      // The list closes; the run is not cancelled by this Escape.
      e.preventDefault()
      e.stopPropagation()
      close()
    }
  })
  textarea.addEventListener("input", (e) => {
    if (!(e instanceof InputEvent)) return
    const typed = e.data ?? ""
    if (typed === "." || typed === ":" || (/^[A-Za-z_]$/.test(typed) && (!list.hidden || prefixAt(textarea.value, textarea.selectionStart).length >= 1))) void open()
    else close()
  })
  list.addEventListener("mousedown", (e) => {
    const target = e.target instanceof Element ? e.target.closest<HTMLElement>(".completion-item") : null
    const item = items.find((i) => i.label === target?.dataset["label"])
    if (item === undefined) return
    e.preventDefault()
    accept(item)
  })
  textarea.addEventListener("blur", close)

  let hoverTimer: ReturnType<typeof setTimeout> | undefined
  let hoverTicket = 0
  document.addEventListener("selectionchange", () => {
    if (document.activeElement !== textarea) return
    clearTimeout(hoverTimer)
    hoverTimer = setTimeout(() => {
      const ticket = ++hoverTicket
      client.update(textarea.value)
      client.hover(textarea.selectionStart).then((text) => {
        if (ticket === hoverTicket) hoverLine.textContent = text === undefined ? "" : plain(text)
      }, () => {})
    }, 150)
  })
  return { hoverLine }
}
