/**
 * What the expression, call and option rules share while checking one
 * program: where diagnostics go, the scope, and the tables they fill in.
 */
import type { Expr, TypeExpr } from "../ast.js"
import type { Diagnostic } from "../diagnostic.js"
import type { Type } from "../types.js"
import type { ModuleRegistryShape } from "../../modules/ModuleRegistry.js"
import type { CallExpr, CallInfo, FieldAccessExpr, MatchExpr, MatchPlan } from "./CheckedProgram.js"
import type { UseScope } from "./uses.js"

export interface CheckContext {
  readonly registry: ModuleRegistryShape
  readonly report: (d: Diagnostic) => void
  /** Infers the type of a sub-expression and records it; a failed one is `Unknown`. */
  readonly infer: (expr: Expr) => Type
  /** The type of an input or assignment, or `undefined` when no such name is defined. */
  readonly valueType: (name: string) => Type | undefined
  /** Every defined input and assignment name, for hints. */
  readonly valueNames: () => Iterable<string>
  readonly types: Map<Expr, Type>
  readonly calls: Map<CallExpr, CallInfo>
  readonly listDepths: Map<FieldAccessExpr, number>
  /** Resolves a written type (aliases included, e.g. a lambda parameter's annotation), reporting its problems. */
  readonly resolveType: (type: TypeExpr) => Type
  /** The program's `use` imports, for resolving the names of calls. */
  readonly uses: UseScope
  readonly matches: Map<MatchExpr, MatchPlan>
}
