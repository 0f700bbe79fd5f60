/**
 * The inline data node the DAG builder is lowering an expression into:
 * its name, the data nodes it reads, the count of calls nested in it, and
 * the names bound inside it (lambda parameters, `match` fields).
 */
import type { Expr } from "./ast.js"
import type { InlineExpr } from "./dag.js"
import type { Value } from "./value.js"

/** The inline data node being built: its name (for nested calls' names) and the data nodes it reads. */
export interface InlineOwner {
  readonly name: string
  readonly deps: Array<number>
  calls: number
  /** Names bound inside the expression (a `match` arm's fields), read as these expressions. */
  readonly bindings?: ReadonlyMap<string, InlineExpr>
  /** The expression the owner's data node is: it is never hoisted into a node of its own. */
  readonly root?: Expr
}

/** An owner for a nested scope: the same name, dependencies and call count, with more bindings. */
export const withBindings = (owner: InlineOwner, more: ReadonlyMap<string, InlineExpr>): InlineOwner => ({
  name: owner.name,
  deps: owner.deps,
  get calls() {
    return owner.calls
  },
  set calls(n: number) {
    owner.calls = n
  },
  bindings: new Map([...(owner.bindings ?? []), ...more])
})

/** A literal inline expression. */
export const literal = (value: Value): InlineExpr => ({ _tag: "Literal", value })
