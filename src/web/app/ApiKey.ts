/**
 * The API key, for a server that asks for one (`API_KEYS`): a field in the
 * header, shown once the server has answered 401 or 403, kept for the
 * browser tab's session and sent as `Authorization: Bearer <key>`.
 */
import { el } from "./dom.js"

export interface ApiKey {
  readonly element: HTMLElement
  /** The headers of every request. */
  readonly headers: () => Record<string, string>
  /** Shows the field, saying why. */
  readonly ask: (reason: string) => void
  /** Called after the user saves a key. */
  readonly onSaved: (listener: () => void) => void
}

const STORAGE_KEY = "constellation.apiKey"

const stored = (): string => {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? ""
  } catch {
    return ""
  }
}

const store = (key: string): void => {
  try {
    sessionStorage.setItem(STORAGE_KEY, key)
  } catch {
    // Storage may be off (a private window): the key then lasts as long as the page.
  }
}

export const makeApiKey = (): ApiKey => {
  let key = stored()
  const listeners: Array<() => void> = []
  const input = el("input", { class: "api-key-input", attrs: { id: "api-key", type: "password", autocomplete: "off", spellcheck: "false" } })
  const reason = el("span", { class: "api-key-reason", attrs: { role: "alert" } })
  const form = el("form", { class: "api-key", attrs: { hidden: key === "", "aria-label": "API key" } },
    reason,
    el("label", { text: "API key", attrs: { for: "api-key" } }),
    input,
    el("button", { class: "button small", text: "Use key", attrs: { type: "submit" } }))
  input.value = key
  form.addEventListener("submit", (e) => {
    e.preventDefault()
    key = input.value.trim()
    store(key)
    reason.textContent = ""
    for (const l of listeners) l()
  })
  return {
    element: form,
    headers: (): Record<string, string> => (key === "" ? {} : { authorization: `Bearer ${key}` }),
    ask: (why) => {
      form.hidden = false
      reason.textContent = why
      input.focus()
    },
    onSaved: (l) => listeners.push(l)
  }
}
