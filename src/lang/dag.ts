/**
 * The compiled form of a pipeline: a DAG of module nodes and data nodes,
 * plain serialisable data described by a Schema.
 *
 * Node ids are indices: data node `i` is `data[i]`, module node `j` is
 * `modules[j]`. Expressions that are not module calls are data nodes with an
 * `Inline` source, evaluated by the runtime without becoming module nodes.
 */
import { Schema } from "effect"
import type { ListFunctionName } from "./listFunctions.js"
import { safeRecord } from "./safeRecord.js"
import type { Type } from "./types.js"
import type { Value } from "./value.js"

// ------------------------------------------------------------------ types

export const TypeSchema: Schema.Schema<Type> = Schema.Union(
  Schema.Struct({ _tag: Schema.Literal("String", "Int", "Float", "Boolean", "Unknown") }),
  Schema.Struct({
    _tag: Schema.Literal("Record"),
    fields: Schema.Array(Schema.Tuple(Schema.String, Schema.suspend((): Schema.Schema<Type> => TypeSchema)))
  }),
  Schema.Struct({ _tag: Schema.Literal("List"), element: Schema.suspend((): Schema.Schema<Type> => TypeSchema) }),
  Schema.Struct({ _tag: Schema.Literal("Optional"), inner: Schema.suspend((): Schema.Schema<Type> => TypeSchema) }),
  Schema.Struct({ _tag: Schema.Literal("Var"), name: Schema.String }),
  Schema.Struct({ _tag: Schema.Literal("Union"), members: Schema.Array(Schema.suspend((): Schema.Schema<Type> => TypeSchema)) }),
  Schema.Struct({
    _tag: Schema.Literal("Map"),
    key: Schema.suspend((): Schema.Schema<Type> => TypeSchema),
    value: Schema.suspend((): Schema.Schema<Type> => TypeSchema)
  })
)

/** A pipeline value: any JSON. Decoded as the recursive union it is, documented (JSON Schema, OpenAPI) as plain JSON. */
export const ValueSchema: Schema.Schema<Value> = Schema.Union(
  Schema.String,
  Schema.Number,
  Schema.Boolean,
  Schema.Null,
  Schema.Array(Schema.suspend((): Schema.Schema<Value> => ValueSchema)),
  safeRecord(Schema.suspend((): Schema.Schema<Value> => ValueSchema))
).annotations({
  jsonSchema: {
    description: "A pipeline value, as JSON.",
    anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }, { type: "array" }, { type: "object" }]
  }
})

// ----------------------------------------------------- inline expressions

export type ArithmeticKind = "Int" | "Float" | "String"

/** An expression evaluated inline by the runtime; `Ref` reads a data node. */
export type InlineExpr =
  | { readonly _tag: "Literal"; readonly value: Value }
  | { readonly _tag: "Ref"; readonly data: number }
  | { readonly _tag: "Arithmetic"; readonly op: "+" | "-" | "*" | "/"; readonly kind: ArithmeticKind; readonly left: InlineExpr; readonly right: InlineExpr }
  /**
   * `on`, for `==` and `!=` over types with records: the type whose fields are
   * compared. A value built in the pipeline may carry fields its type does
   * not have (width subtyping); they take no part in equality.
   */
  | {
    readonly _tag: "Compare"
    readonly op: "==" | "!=" | "<" | ">" | "<=" | ">="
    readonly left: InlineExpr
    readonly right: InlineExpr
    readonly on?: Type
  }
  | { readonly _tag: "And"; readonly left: InlineExpr; readonly right: InlineExpr }
  | { readonly _tag: "Or"; readonly left: InlineExpr; readonly right: InlineExpr }
  | { readonly _tag: "Not"; readonly operand: InlineExpr }
  | { readonly _tag: "If"; readonly condition: InlineExpr; readonly then: InlineExpr; readonly else: InlineExpr }
  /** `listDepth` > 0 maps the access over that many levels of lists. */
  | { readonly _tag: "Field"; readonly target: InlineExpr; readonly field: string; readonly listDepth: number }
  | { readonly _tag: "List"; readonly items: ReadonlyArray<InlineExpr> }
  | { readonly _tag: "Record"; readonly fields: ReadonlyArray<readonly [string, InlineExpr]> }
  | { readonly _tag: "Interpolate"; readonly parts: ReadonlyArray<string | InlineExpr> }
  | { readonly _tag: "Coalesce"; readonly left: InlineExpr; readonly right: InlineExpr }
  | { readonly _tag: "When"; readonly value: InlineExpr; readonly condition: InlineExpr }
  /** The element a lambda is applied to: `slot` 0 is the outermost lambda's parameter, 1 the one inside it... */
  | { readonly _tag: "Param"; readonly slot: number }
  /** A list function: `body` evaluated for each element of `list`, the element in parameter `slot`. */
  | {
    readonly _tag: "ListFunction"
    readonly fn: ListFunctionName
    readonly list: InlineExpr
    readonly slot: number
    readonly body: InlineExpr
  }
  /** `x{a, b}`: a record of these fields, mapped over `listDepth` levels of lists. */
  | { readonly _tag: "Project"; readonly target: InlineExpr; readonly fields: ReadonlyArray<string>; readonly listDepth: number }
  /**
   * `a + b` on records: `leftFields` (the left's fields the right does not
   * have) then `rightFields`; each side under its depth of lists, zipped
   * when both are lists, broadcast when one is.
   */
  | {
    readonly _tag: "Merge"
    readonly left: InlineExpr
    readonly right: InlineExpr
    readonly leftFields: ReadonlyArray<string>
    readonly rightFields: ReadonlyArray<string>
    readonly leftDepth: number
    readonly rightDepth: number
  }
  /** `match`: the first arm whose tags hold the value's tag (`union`), or the first arm (not a union). */
  | { readonly _tag: "Match"; readonly scrutinee: InlineExpr; readonly union: boolean; readonly arms: ReadonlyArray<MatchArmExpr> }
  /** The value inside a union value (`{tag, value}`). */
  | { readonly _tag: "Untag"; readonly target: InlineExpr }
  /** A value of type `from` where `to` is expected, when their runtime forms differ (a union on either side). */
  | { readonly _tag: "Coerce"; readonly value: InlineExpr; readonly from: Type; readonly to: Type }
  /**
   * A module call made each time evaluation reaches it: a call inside a
   * lambda or a `match` arm that reads the lambda's parameter or the arm's
   * bindings. `module` is its module node (whose `runsIn` is the data node
   * evaluating this expression); `args` are in the module's parameter order;
   * `fallback`, when the call has one, is evaluated where the call failed.
   */
  | { readonly _tag: "Call"; readonly module: number; readonly args: ReadonlyArray<InlineExpr>; readonly fallback?: InlineExpr }

/** One arm of an inline `match`: the union tags it takes, and its value. */
export interface MatchArmExpr {
  readonly tags: ReadonlyArray<string>
  readonly body: InlineExpr
}

const Expr = Schema.suspend((): Schema.Schema<InlineExpr> => InlineExprSchema)

export const InlineExprSchema: Schema.Schema<InlineExpr> = Schema.Union(
  Schema.Struct({ _tag: Schema.Literal("Literal"), value: ValueSchema }),
  Schema.Struct({ _tag: Schema.Literal("Ref"), data: Schema.Int }),
  Schema.Struct({ _tag: Schema.Literal("Arithmetic"), op: Schema.Literal("+", "-", "*", "/"), kind: Schema.Literal("Int", "Float", "String"), left: Expr, right: Expr }),
  Schema.Struct({
    _tag: Schema.Literal("Compare"),
    op: Schema.Literal("==", "!=", "<", ">", "<=", ">="),
    left: Expr,
    right: Expr,
    on: Schema.optionalWith(TypeSchema, { exact: true })
  }),
  Schema.Struct({ _tag: Schema.Literal("And", "Or", "Coalesce"), left: Expr, right: Expr }),
  Schema.Struct({ _tag: Schema.Literal("Not"), operand: Expr }),
  Schema.Struct({ _tag: Schema.Literal("If"), condition: Expr, then: Expr, else: Expr }),
  Schema.Struct({ _tag: Schema.Literal("Field"), target: Expr, field: Schema.String, listDepth: Schema.Int }),
  Schema.Struct({ _tag: Schema.Literal("List"), items: Schema.Array(Expr) }),
  Schema.Struct({ _tag: Schema.Literal("Record"), fields: Schema.Array(Schema.Tuple(Schema.String, Expr)) }),
  Schema.Struct({ _tag: Schema.Literal("Interpolate"), parts: Schema.Array(Schema.Union(Schema.String, Expr)) }),
  Schema.Struct({ _tag: Schema.Literal("When"), value: Expr, condition: Expr }),
  Schema.Struct({ _tag: Schema.Literal("Param"), slot: Schema.Int }),
  Schema.Struct({
    _tag: Schema.Literal("ListFunction"),
    fn: Schema.Literal("filter", "map", "all", "any"),
    list: Expr,
    slot: Schema.Int,
    body: Expr
  }),
  Schema.Struct({ _tag: Schema.Literal("Project"), target: Expr, fields: Schema.Array(Schema.String), listDepth: Schema.Int }),
  Schema.Struct({
    _tag: Schema.Literal("Merge"),
    left: Expr,
    right: Expr,
    leftFields: Schema.Array(Schema.String),
    rightFields: Schema.Array(Schema.String),
    leftDepth: Schema.Int,
    rightDepth: Schema.Int
  }),
  Schema.Struct({
    _tag: Schema.Literal("Match"),
    scrutinee: Expr,
    union: Schema.Boolean,
    arms: Schema.Array(Schema.Struct({ tags: Schema.Array(Schema.String), body: Expr }))
  }),
  Schema.Struct({ _tag: Schema.Literal("Untag"), target: Expr }),
  Schema.Struct({ _tag: Schema.Literal("Coerce"), value: Expr, from: TypeSchema, to: TypeSchema }),
  Schema.Struct({ _tag: Schema.Literal("Call"), module: Schema.Int, args: Schema.Array(Expr), fallback: Schema.optionalWith(Expr, { exact: true }) })
)

// ------------------------------------------------------------------ nodes

/** Where a data node's value comes from. */
export const DataSource = Schema.Union(
  Schema.Struct({ _tag: Schema.Literal("Input"), input: Schema.String }),
  Schema.Struct({ _tag: Schema.Literal("Module"), module: Schema.Int }),
  /** `deps` lists every data node `expr` reads, without repeats. */
  Schema.Struct({ _tag: Schema.Literal("Inline"), expr: InlineExprSchema, deps: Schema.Array(Schema.Int) })
)
export type DataSource = typeof DataSource.Type

export const DataNode = Schema.Struct({
  id: Schema.Int,
  /** The declared name, or a generated one (`upper#arg0`) for an anonymous value. */
  name: Schema.String,
  type: TypeSchema,
  source: DataSource
})
export type DataNode = typeof DataNode.Type

export const Backoff = Schema.Literal("fixed", "linear", "exponential", "capped")
export type Backoff = typeof Backoff.Type

/** The `with` options of a call, checked and normalised to milliseconds. */
export const ModuleOptions = Schema.Struct({
  timeoutMs: Schema.optional(Schema.Number),
  retry: Schema.optional(Schema.Int),
  delayMs: Schema.optional(Schema.Number),
  backoff: Schema.optional(Backoff),
  maxDelayMs: Schema.optional(Schema.Number),
  /** A data node of the call's type used when every attempt failed. */
  fallback: Schema.optional(Schema.Int),
  /** Results kept this long, per module and argument values, across executions. */
  cacheMs: Schema.optional(Schema.Number),
  /** At most `count` calls of the module per `perMs`, across executions (a token bucket). */
  throttle: Schema.optional(Schema.Struct({ count: Schema.Int, perMs: Schema.Number })),
  /** At most this many calls of the module at once, across executions. */
  concurrency: Schema.optional(Schema.Int),
  /** What a failure becomes: the type's zero value (`skip`, `log`), or an Either-like record (`wrap`). */
  onError: Schema.optional(Schema.Literal("skip", "log", "wrap")),
  /** Run only when a consumer that has every other input demands the value. */
  lazy: Schema.optional(Schema.Boolean),
  /** 0 (background) to 100 (critical); 50 when not given. */
  priority: Schema.optional(Schema.Int)
})
export type ModuleOptions = typeof ModuleOptions.Type

export const ModuleNode = Schema.Struct({
  id: Schema.Int,
  /** The registered module's name. */
  module: Schema.String,
  /** Argument data nodes, in the module's parameter order. */
  args: Schema.Array(Schema.Struct({ param: Schema.String, data: Schema.Int })),
  output: Schema.Int,
  options: ModuleOptions,
  line: Schema.Int,
  column: Schema.Int,
  /**
   * For a call made per element (inside a lambda or a `match` arm, reading
   * its bindings): the inline data node whose expression makes it, by a
   * `Call` expression. Such a node has no argument nodes; it is reported
   * started at its first call and completed once that expression has its
   * value, with the number of calls made.
   */
  runsIn: Schema.optionalWith(Schema.Int, { exact: true })
})
export type ModuleNode = typeof ModuleNode.Type

export const Binding = Schema.Struct({ name: Schema.String, type: TypeSchema, data: Schema.Int })
export type Binding = typeof Binding.Type

export const Edge = Schema.Struct({ from: Schema.String, to: Schema.String })
export type Edge = typeof Edge.Type

/** A compiled pipeline's graph as plain, serialisable data: data nodes, module nodes, inputs and outputs. */
export const DagSpec = Schema.Struct({
  version: Schema.Literal(1),
  /** Content hash of everything below: the same program gives the same hash. */
  hash: Schema.String,
  inputs: Schema.Array(Binding),
  outputs: Schema.Array(Binding),
  data: Schema.Array(DataNode),
  modules: Schema.Array(ModuleNode),
  /** Every dependency, `d<i>` for data nodes and `m<j>` for module nodes, for tools that draw the graph. */
  edges: Schema.Array(Edge)
})
export type DagSpec = typeof DagSpec.Type
