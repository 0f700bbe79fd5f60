/**
 * The list functions: the higher-order functions of the reference's
 * `stdlib.collection` namespace, which take a list and a lambda. They are
 * built into the language, not registered modules: the checker types them
 * from the list's element type and the engine evaluates them inline, with
 * the lambda applied to each element in a plain loop.
 *
 * This table is the one place that lists them; a `use stdlib.collection`
 * (or a qualified `stdlib.collection.filter`) resolves to these names.
 */
import { TBoolean, TList } from "./types.js"
import type { Type } from "./types.js"

export type ListFunctionName = "filter" | "map" | "all" | "any"

export interface ListFunction {
  readonly name: ListFunctionName
  /** The namespace the reference declares it in. */
  readonly namespace: "stdlib.collection"
  /** What it does, for hints and the module listing. */
  readonly description: string
  /** The lambda's result type it needs, or `undefined` when any type will do (`map`). */
  readonly lambdaResult: Type | undefined
  /** The call's type, from the list's element type and the lambda's result type. */
  readonly result: (element: Type, lambdaResult: Type) => Type
}

const make = (
  name: ListFunctionName,
  description: string,
  lambdaResult: Type | undefined,
  result: (element: Type, lambdaResult: Type) => Type
): ListFunction => ({ name, namespace: "stdlib.collection", description, lambdaResult, result })

/** Every list function, by name. */
export const listFunctions: ReadonlyMap<string, ListFunction> = new Map([
  ["filter", make("filter", "The elements the predicate holds for, in order.", TBoolean, (element) => TList(element))],
  ["map", make("map", "The lambda's value for each element, in order.", undefined, (_, value) => TList(value))],
  ["all", make("all", "Whether the predicate holds for every element (true for an empty list).", TBoolean, () => TBoolean)],
  ["any", make("any", "Whether the predicate holds for some element (false for an empty list).", TBoolean, () => TBoolean)]
])

/** A list function's signature for messages: `filter(list: List<T>, predicate: (T) => Boolean): List<T>`. */
export const listFunctionSignature = (f: ListFunction): string => {
  switch (f.name) {
    case "filter":
      return "filter(list: List<T>, predicate: (T) => Boolean): List<T>"
    case "map":
      return "map(list: List<T>, transform: (T) => U): List<U>"
    case "all":
    case "any":
      return `${f.name}(list: List<T>, predicate: (T) => Boolean): Boolean`
  }
}
