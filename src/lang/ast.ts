/**
 * The abstract syntax tree of constellation-lang. Every node carries the
 * `span` of the source text it was parsed from.
 */
import type { Span } from "./span.js"

export interface Identifier {
  readonly _tag: "Identifier"
  readonly name: string
  readonly span: Span
}

// ---------------------------------------------------------------- types

export type TypeExpr =
  | { readonly _tag: "NamedType"; readonly name: string; readonly span: Span }
  | { readonly _tag: "ListType"; readonly element: TypeExpr; readonly span: Span }
  | { readonly _tag: "OptionalType"; readonly inner: TypeExpr; readonly span: Span }
  | { readonly _tag: "RecordType"; readonly fields: ReadonlyArray<RecordTypeField>; readonly span: Span }
  /** `Map<K, V>` */
  | { readonly _tag: "MapType"; readonly key: TypeExpr; readonly value: TypeExpr; readonly span: Span }
  /** `A | B | C`: at least two members. */
  | { readonly _tag: "UnionType"; readonly members: ReadonlyArray<TypeExpr>; readonly span: Span }
  /** `A + B`: the fields of both records, the right's winning. */
  | { readonly _tag: "MergeType"; readonly left: TypeExpr; readonly right: TypeExpr; readonly opSpan: Span; readonly span: Span }

export interface RecordTypeField {
  readonly name: Identifier
  readonly type: TypeExpr
  readonly span: Span
}

// ---------------------------------------------------------- expressions

export type BinaryOperator = "==" | "!=" | "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/"

export type Expr =
  | { readonly _tag: "IntLiteral"; readonly value: number; readonly span: Span }
  | { readonly _tag: "FloatLiteral"; readonly value: number; readonly span: Span }
  | { readonly _tag: "BooleanLiteral"; readonly value: boolean; readonly span: Span }
  | StringLiteral
  | { readonly _tag: "ListLiteral"; readonly items: ReadonlyArray<Expr>; readonly span: Span }
  | { readonly _tag: "RecordLiteral"; readonly fields: ReadonlyArray<RecordLiteralField>; readonly span: Span }
  | { readonly _tag: "Variable"; readonly name: string; readonly span: Span }
  /** A call; a qualified callee (`stdlib.math.add`, `m.add`) has its segments joined by `.` in `callee.name`. */
  | { readonly _tag: "Call"; readonly callee: Identifier; readonly args: ReadonlyArray<Expr>; readonly options: ReadonlyArray<CallOption>; readonly span: Span }
  | { readonly _tag: "FieldAccess"; readonly target: Expr; readonly field: Identifier; readonly span: Span }
  | { readonly _tag: "Binary"; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr; readonly opSpan: Span; readonly span: Span }
  | { readonly _tag: "And"; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly _tag: "Or"; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly _tag: "Not"; readonly operand: Expr; readonly span: Span }
  | { readonly _tag: "Coalesce"; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly _tag: "When"; readonly value: Expr; readonly condition: Expr; readonly span: Span }
  | { readonly _tag: "If"; readonly condition: Expr; readonly then: Expr; readonly else: Expr; readonly span: Span }
  /** `(x, y: Int) => body`: only as the function argument of a list function (`filter`, `map`, `all`, `any`). */
  | Lambda
  /** `branch { c1 -> e1, c2 -> e2, otherwise -> e3 }`: the value of the first case whose condition holds. */
  | Branch
  /** `x{a, b}` or `x[a, b]`: a record of the named fields (element-wise on lists of records). */
  | { readonly _tag: "Projection"; readonly target: Expr; readonly fields: ReadonlyArray<Identifier>; readonly span: Span }
  /** `match x { pattern -> expr, ... }`: the first arm whose pattern fits the value. */
  | { readonly _tag: "Match"; readonly scrutinee: Expr; readonly arms: ReadonlyArray<MatchArm>; readonly span: Span }
  /** Stands where the parser could not read an expression; already reported. */
  | { readonly _tag: "ErrorExpr"; readonly span: Span }

/** A string literal: alternating text and `${expr}` parts. A plain string has one text part. */
export interface StringLiteral {
  readonly _tag: "StringLiteral"
  readonly parts: ReadonlyArray<StringPart>
  readonly span: Span
}

export type StringPart =
  | { readonly _tag: "Text"; readonly value: string }
  | { readonly _tag: "Interpolation"; readonly expr: Expr }

/** A lambda; `arrowSpan` is its `=>`. */
export interface Lambda {
  readonly _tag: "Lambda"
  readonly params: ReadonlyArray<LambdaParam>
  readonly body: Expr
  readonly arrowSpan: Span
  readonly span: Span
}

/** A lambda parameter, with its type when annotated (`x: Int`). */
export interface LambdaParam {
  readonly name: Identifier
  readonly type: TypeExpr | undefined
  readonly span: Span
}

/** A `branch`; `otherwise` is the value when no case's condition holds. */
export interface Branch {
  readonly _tag: "Branch"
  readonly cases: ReadonlyArray<BranchCase>
  readonly otherwise: Expr
  readonly span: Span
}

export interface BranchCase {
  readonly condition: Expr
  readonly value: Expr
  readonly span: Span
}
/** One arm of a `match`: `pattern -> body`. */
export interface MatchArm {
  readonly pattern: Pattern
  readonly body: Expr
  readonly span: Span
}

/**
 * A `match` pattern: `{a, b}` (a record with these fields, which the arm
 * reads as variables), `is T` (a value of type `T`) or `_` (anything).
 */
export type Pattern =
  | { readonly _tag: "RecordPattern"; readonly fields: ReadonlyArray<Identifier>; readonly span: Span }
  | { readonly _tag: "TypePattern"; readonly type: TypeExpr; readonly span: Span }
  | { readonly _tag: "WildcardPattern"; readonly span: Span }

export interface RecordLiteralField {
  readonly name: Identifier
  readonly value: Expr
  readonly span: Span
}

/** One `with` option of a call: `timeout: 2s`, `retry: 3`, `backoff: exponential`, `fallback: expr`, `throttle: 10/1s`, `lazy`. */
export type CallOption =
  | { readonly _tag: "DurationOption"; readonly name: Identifier; readonly millis: number; readonly valueSpan: Span; readonly span: Span }
  | { readonly _tag: "IntOption"; readonly name: Identifier; readonly value: number; readonly valueSpan: Span; readonly span: Span }
  | { readonly _tag: "WordOption"; readonly name: Identifier; readonly word: string; readonly valueSpan: Span; readonly span: Span }
  | { readonly _tag: "ExprOption"; readonly name: Identifier; readonly value: Expr; readonly span: Span }
  /** `throttle: 100/1min`: a count per duration. */
  | { readonly _tag: "RateOption"; readonly name: Identifier; readonly count: number; readonly perMillis: number; readonly valueSpan: Span; readonly span: Span }
  /** An option named without a value: `with lazy`. */
  | { readonly _tag: "FlagOption"; readonly name: Identifier; readonly span: Span }

// --------------------------------------------------------- declarations

export type Declaration =
  | { readonly _tag: "InputDecl"; readonly name: Identifier; readonly type: TypeExpr; readonly example: Expr | undefined; readonly span: Span }
  | { readonly _tag: "OutputDecl"; readonly name: Identifier; readonly type: TypeExpr | undefined; readonly span: Span }
  | { readonly _tag: "Assignment"; readonly name: Identifier; readonly value: Expr; readonly span: Span }
  | { readonly _tag: "TypeAlias"; readonly name: Identifier; readonly type: TypeExpr; readonly span: Span }
  | UseDecl

/**
 * `use stdlib.math` or `use stdlib.math as m`: `path` is the namespace's
 * segments, `name` the alias when given, else the path's last segment.
 */
export interface UseDecl {
  readonly _tag: "UseDecl"
  readonly path: ReadonlyArray<Identifier>
  readonly alias: Identifier | undefined
  readonly name: Identifier
  readonly span: Span
}

export interface Program {
  readonly _tag: "Program"
  readonly declarations: ReadonlyArray<Declaration>
  readonly span: Span
}

/**
 * The name of the `NamedType` the parser puts where it could not read a type
 * (already reported as E106 ExpectedType): resolve it to Unknown without
 * reporting it again.
 */
export const missingTypeName = ""
