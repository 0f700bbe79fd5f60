/**
 * One field of the inputs form, chosen by the input's type: a text box
 * for `String`, a number box for `Int` and `Float`, a checkbox for
 * `Boolean` and a JSON box for lists, records and the rest. An optional
 * scalar left empty is `null` (none).
 */
import { Either } from "effect"
import type { Type } from "../../lang/types.js"
import type { Value } from "../../lang/value.js"
import { el } from "./dom.js"

export interface InputField {
  readonly name: string
  readonly element: HTMLElement
  readonly control: HTMLInputElement | HTMLTextAreaElement
  /** The typed value, or what is wrong with the text. */
  readonly read: () => Either.Either<Value, string>
  /** The value as the field holds it, to carry over when the pipeline is recompiled. */
  readonly current: () => Value | undefined
}

type Scalar = "String" | "Int" | "Float" | "Boolean"

const scalarOf = (t: Type): Scalar | undefined =>
  t._tag === "String" || t._tag === "Int" || t._tag === "Float" || t._tag === "Boolean" ? t._tag : undefined

const parseNumber = (text: string, kind: "Int" | "Float"): Either.Either<Value, string> => {
  const n = Number(text)
  if (text.trim() === "" || !Number.isFinite(n)) return Either.left(`expects ${kind === "Int" ? "an integer" : "a number"}`)
  if (kind === "Int" && !Number.isSafeInteger(n)) return Either.left("expects a whole number")
  return Either.right(n)
}

const parseJson = (text: string): Either.Either<Value, string> =>
  Either.try({ try: (): Value => JSON.parse(text) as Value, catch: () => "expects JSON, e.g. [1, 2] or {\"name\": \"Ada\"}" })

const scalarControl = (id: string, scalar: Scalar, initial: Value | undefined, optional: boolean): HTMLInputElement => {
  if (scalar === "Boolean") return el("input", { attrs: { id, type: "checkbox", checked: initial === true } })
  const control = el("input", {
    class: "field-input",
    attrs: {
      id,
      type: scalar === "String" ? "text" : "number",
      step: scalar === "Int" ? 1 : scalar === "Float" ? "any" : undefined,
      placeholder: optional ? "empty for none" : undefined,
      spellcheck: "false"
    }
  })
  control.value = initial === undefined || initial === null ? "" : String(initial)
  return control
}

/** The field of input `name` of type `type`, showing `initial` when given. */
export const makeInputField = (name: string, type: Type, typeText: string, initial: Value | undefined): InputField => {
  const id = `input-${name}`
  const optional = type._tag === "Optional"
  const scalar = scalarOf(optional ? type.inner : type)
  const error = el("div", { class: "field-error", attrs: { id: `${id}-error`, role: "alert" } })
  const label = el("label", { class: "field-label", attrs: { for: id } }, el("span", { class: "field-name", text: name }), el("code", { class: "field-type", text: typeText }))

  const control: HTMLInputElement | HTMLTextAreaElement = scalar === undefined
    ? el("textarea", { class: "field-input field-json", attrs: { id, rows: 3, spellcheck: "false" } })
    : scalarControl(id, scalar, initial, optional)
  if (scalar === undefined) control.value = initial === undefined ? "" : JSON.stringify(initial, null, 1)
  control.setAttribute("aria-describedby", error.id)

  const parse = (): Either.Either<Value, string> => {
    if (control instanceof HTMLInputElement && control.type === "checkbox") return Either.right(control.checked)
    const text = control.value
    if (optional && text.trim() === "") return Either.right(null)
    if (scalar === "String") return Either.right(text)
    if (scalar === "Int" || scalar === "Float") return parseNumber(text, scalar)
    return parseJson(text)
  }
  const read = () => {
    const result = parse()
    error.textContent = Either.isLeft(result) ? `${name} ${result.left}` : ""
    control.setAttribute("aria-invalid", String(Either.isLeft(result)))
    return result
  }

  const element = scalar === "Boolean"
    ? el("div", { class: "field field-check" }, control, label, error)
    : el("div", { class: "field" }, label, control, error)
  return { name, element, control, read, current: () => Either.getOrUndefined(parse()) }
}
