/**
 * The inputs form, generated from the compiled pipeline's input types and
 * pre-filled from its `@example` annotations. Values the user typed are
 * kept across recompiles while the input keeps its name and type.
 */
import { Either } from "effect"
import type { CompileResponse } from "../../client/index.js"
import type { Value } from "../../lang/value.js"
import { el, replaceChildren } from "./dom.js"
import { makeInputField } from "./inputField.js"
import type { InputField } from "./inputField.js"

export interface InputsForm {
  readonly element: HTMLElement
  /** Rebuilds the fields for a compiled pipeline. */
  readonly update: (compiled: CompileResponse, examples: ReadonlyMap<string, Value>) => void
  /** Every input's value, or undefined after marking and focusing the first wrong field. */
  readonly read: () => Record<string, Value> | undefined
}

export const makeInputsForm = (): InputsForm => {
  const list = el("div", { class: "fields" }, el("p", { class: "muted", text: "The pipeline's inputs appear here once it compiles." }))
  const element = el("div", { class: "inputs-form" }, list)
  let fields: ReadonlyArray<InputField> = []
  let typed = new Map<string, Value>()
  let typesOf = new Map<string, string>()

  const update = (compiled: CompileResponse, examples: ReadonlyMap<string, Value>) => {
    typed = new Map(fields.flatMap((f) => {
      const v = f.current()
      return v === undefined ? [] : [[`${f.name}:${typesOf.get(f.name) ?? ""}`, v] as const]
    }))
    typesOf = new Map(Object.entries(compiled.inputs))
    fields = compiled.dag.inputs.map((b) => {
      const typeText = compiled.inputs[b.name] ?? ""
      const initial = typed.get(`${b.name}:${typeText}`) ?? examples.get(b.name)
      return makeInputField(b.name, b.type, typeText, initial)
    })
    replaceChildren(list, ...(fields.length === 0
      ? [el("p", { class: "muted", text: "This pipeline has no inputs." })]
      : fields.map((f) => f.element)))
  }

  const read = () => {
    const values: Record<string, Value> = {}
    let firstWrong: InputField | undefined
    for (const f of fields) {
      const result = f.read()
      if (Either.isRight(result)) values[f.name] = result.right
      else firstWrong ??= f
    }
    if (firstWrong === undefined) return values
    firstWrong.control.focus()
    return undefined
  }

  return { element, update, read }
}
