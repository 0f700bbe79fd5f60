/**
 * Lowering the module calls made per element: a call inside a lambda or a
 * `match` arm that reads the lambda's parameter or the arm's bindings
 * becomes a `Call` expression evaluated where it stands, with a module node
 * of its own (no argument nodes) whose `runsIn` is the data node that
 * evaluates it. A list function or `match` outside any lambda or arm that
 * holds such calls becomes a data node of its own (`name#eachN`), which the
 * runtime runs as one unit (ElementRun.ts), its elements concurrently.
 */
import type { Expr } from "./ast.js"
import type { CallExpr, CheckedProgram } from "./checker/CheckedProgram.js"
import { referencedNames } from "./checker/references.js"
import type { DataSource, Edge, InlineExpr, ModuleNode } from "./dag.js"
import { literal } from "./inlineOwner.js"
import type { InlineOwner } from "./inlineOwner.js"
import { coerce } from "./lowerTypeAlgebra.js"
import { callOptions } from "./runOptions.js"
import type { Type } from "./types.js"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** What the DAG builder lends: its program, its node lists and the ways it makes and reads nodes. */
export interface ElementCallsContext {
  readonly checked: CheckedProgram
  readonly modules: Array<ModuleNode>
  readonly edges: Array<Edge>
  readonly typeOf: (e: Expr) => Type
  readonly addData: (name: string, type: Type, source: DataSource) => number
  readonly read: (id: number, owner: InlineOwner) => InlineExpr
  readonly lower: (e: Expr, owner: InlineOwner) => InlineExpr
  readonly insideLambda: () => boolean
}

/** The builder's part for calls per element; `open` and `place` bracket the lowering of each inline data node. */
export const makeElementCalls = (ctx: ElementCallsContext) => {
  const { checked, modules, edges, typeOf, addData, read, lower } = ctx
  /** Calls made per element so far, and those whose evaluating data node is not made yet (its id goes in `runsIn`). */
  let count = 0
  let unplaced: Array<Mutable<ModuleNode>> = []

  /** Starts collecting the calls of a data node being lowered; returns what to restore in `place`. */
  const open = (): Array<Mutable<ModuleNode>> => {
    const outer = unplaced
    unplaced = []
    return outer
  }

  /** The calls lowered since `open` are made by data node `id`. */
  const place = (id: number, outer: Array<Mutable<ModuleNode>>): void => {
    for (const node of unplaced) {
      node.runsIn = id
      edges.push({ from: `d${node.output}`, to: `d${id}` })
    }
    unplaced = outer
  }

  return {
    open,
    place,

    /** Whether a call reads a name bound where it stands (a lambda's parameter, a `match` arm's field): it is made per element. */
    readsBindings: (call: CallExpr, owner: InlineOwner): boolean => {
      const bindings = owner.bindings
      return bindings !== undefined && referencedNames(call).some((name) => bindings.has(name))
    },

    /** A call made each time evaluation reaches it. */
    lowerCall: (call: CallExpr, owner: InlineOwner): InlineExpr => {
      const info = checked.calls.get(call)!
      const args = info.module.params.map((param, i) => {
        const arg = call.args[i]
        if (arg === undefined) return literal(param.default ?? null)
        const to = info.params[i]
        return to === undefined ? lower(arg, owner) : coerce(lower(arg, owner), typeOf(arg), to)
      })
      const fallbackArg = info.options.fallback
      const fallback = fallbackArg === undefined ? undefined : coerce(lower(fallbackArg, owner), typeOf(fallbackArg), info.type)
      const id = modules.length
      const output = addData(`${owner.name}#call${owner.calls++}`, info.type, { _tag: "Module", module: id })
      const { line, column } = call.span.start
      const node: Mutable<ModuleNode> = { id, module: info.module.name, args: [], output, options: callOptions(info), line, column }
      modules.push(node)
      unplaced.push(node)
      edges.push({ from: `m${id}`, to: `d${output}` })
      count++
      return fallback === undefined ? { _tag: "Call", module: id, args } : { _tag: "Call", module: id, args, fallback }
    },

    /**
     * `build` (a list function or `match`) into a data node of its own when
     * it stands outside any lambda or arm and holds calls per element;
     * inline in `owner` otherwise.
     */
    hoisting: (e: Expr, owner: InlineOwner, build: (owner: InlineOwner) => InlineExpr): InlineExpr => {
      if (ctx.insideLambda() || (owner.bindings?.size ?? 0) > 0 || owner.root === e) return build(owner)
      const before = count
      const outer = open()
      // Its own dependencies, the owner's numbering of nested calls.
      const scope: InlineOwner = {
        name: owner.name,
        deps: [],
        get calls() {
          return owner.calls
        },
        set calls(n: number) {
          owner.calls = n
        }
      }
      const expr = build(scope)
      if (count === before) {
        unplaced = outer
        for (const d of scope.deps) if (!owner.deps.includes(d)) owner.deps.push(d)
        return expr
      }
      const id = addData(`${owner.name}#each${owner.calls++}`, typeOf(e), { _tag: "Inline", expr, deps: scope.deps })
      place(id, outer)
      for (const dep of scope.deps) edges.push({ from: `d${dep}`, to: `d${id}` })
      return read(id, owner)
    }
  }
}
