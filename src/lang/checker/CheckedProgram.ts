/**
 * The checker's output: a program whose every expression has a type, every
 * call a resolved module and checked options. The compiler builds the DAG
 * from it; it is only complete when the check reported no diagnostics.
 */
import type { Backoff } from "../dag.js"
import type { CallOption, Declaration, Expr, Program } from "../ast.js"
import type { Span } from "../span.js"
import type { Type } from "../types.js"
import type { RegisteredModule } from "../../modules/ModuleRegistry.js"

export type CallExpr = Extract<Expr, { readonly _tag: "Call" }>
export type FieldAccessExpr = Extract<Expr, { readonly _tag: "FieldAccess" }>
export type InputDecl = Extract<Declaration, { readonly _tag: "InputDecl" }>
export type OutputDecl = Extract<Declaration, { readonly _tag: "OutputDecl" }>
export type Assignment = Extract<Declaration, { readonly _tag: "Assignment" }>
export type TypeAlias = Extract<Declaration, { readonly _tag: "TypeAlias" }>
export type WordOption = Extract<CallOption, { readonly _tag: "WordOption" }>
export type MatchExpr = Extract<Expr, { readonly _tag: "Match" }>

/** What the checker learnt about one `match`, for the compiler. */
export interface MatchPlan {
  /** Whether the value matched is a union (carried as `{tag, value}`). */
  readonly union: boolean
  /** Per arm: the tags of the members it takes (all remaining ones for `_`), and the names it binds. */
  readonly arms: ReadonlyArray<{
    readonly tags: ReadonlyArray<string>
    /** Field names the arm reads as variables (record patterns). */
    readonly fields: ReadonlyArray<string>
    /** The matched variable, narrowed to the one member the arm takes, when there is one. */
    readonly narrowed: string | undefined
  }>
}

/** The `with` options of a call after checking, durations in milliseconds. */
export interface CallOptions {
  readonly timeoutMs?: number
  readonly retry?: number
  readonly delayMs?: number
  readonly backoff?: Backoff
  readonly maxDelayMs?: number
  /** The fallback expression; its type is assignable to the call's type. */
  readonly fallback?: Expr
  readonly cacheMs?: number
  readonly throttle?: { readonly count: number; readonly perMs: number }
  readonly concurrency?: number
  readonly onError?: "skip" | "log" | "wrap"
  readonly lazy?: boolean
  readonly priority?: number
}

/** What the checker learnt about one call. */
export interface CallInfo {
  readonly module: RegisteredModule
  /** The module's result type with the call's type variables substituted. */
  readonly type: Type
  /** The module's parameter types, type variables substituted. */
  readonly params: ReadonlyArray<Type>
  readonly options: CallOptions
}

export interface CheckedInput {
  readonly name: string
  readonly type: Type
  readonly span: Span
}

export interface CheckedAssignment {
  readonly name: string
  readonly value: Expr
  readonly type: Type
  /** Names of the inputs and assignments the value reads, in order of first use. */
  readonly references: ReadonlyArray<string>
}

export interface CheckedOutput {
  readonly name: string
  /** The declared type when annotated (`out x: T`), else the inferred one. */
  readonly type: Type
  readonly span: Span
}

export interface CheckedProgram {
  readonly program: Program
  /** In declaration order. */
  readonly inputs: ReadonlyArray<CheckedInput>
  /** In dependency order: every assignment comes after those it reads. */
  readonly assignments: ReadonlyArray<CheckedAssignment>
  /** In declaration order. */
  readonly outputs: ReadonlyArray<CheckedOutput>
  /** The type of every checked expression. */
  readonly types: ReadonlyMap<Expr, Type>
  readonly calls: ReadonlyMap<CallExpr, CallInfo>
  /** For each `.field`, how many levels of lists it maps over. */
  readonly listDepths: ReadonlyMap<FieldAccessExpr, number>
  readonly matches: ReadonlyMap<MatchExpr, MatchPlan>
}
