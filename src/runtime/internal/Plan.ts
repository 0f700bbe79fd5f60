/**
 * The bookkeeping a DAG needs at run time, computed once per compiled
 * pipeline: who consumes each data node, how many inputs each module and
 * inline node waits for (strictly: see demand.ts), and which outputs each
 * data node feeds.
 */
import type { DagSpec, InlineExpr, ModuleNode } from "../../lang/dag.js"
import type { CompiledPipeline } from "../../lang/CompiledPipeline.js"
import { encodeValue } from "../../lang/codec.js"
import type { Type } from "../../lang/types.js"
import type { Value } from "../../lang/value.js"
import { lazyOutputs, strictReads } from "./demand.js"

const hasRecord = (t: Type): boolean =>
  t._tag === "Record" || (t._tag === "List" && hasRecord(t.element)) || (t._tag === "Optional" && hasRecord(t.inner)) ||
  (t._tag === "Union" && t.members.some(hasRecord)) || (t._tag === "Map" && hasRecord(t.value))

export interface Plan {
  readonly dag: DagSpec
  /** For each data node: the module nodes that take it as an argument. */
  readonly moduleConsumers: ReadonlyArray<ReadonlyArray<number>>
  /** For each data node: the inline data nodes that read it strictly (demand.ts). */
  readonly inlineConsumers: ReadonlyArray<ReadonlyArray<number>>
  /** For each module node: how many distinct data nodes it waits for. */
  readonly moduleInputs: Int32Array
  /** For each data node: how many data nodes its inline expression reads strictly (0 for others). */
  readonly inlineInputs: Int32Array
  /** For each data node: the data nodes its inline expression reads strictly (empty for others). */
  readonly inlineStrict: ReadonlyArray<ReadonlyArray<number>>
  /** For each module node: its distinct arguments that are not results of `lazy` calls. */
  readonly eagerArgs: ReadonlyArray<ReadonlyArray<number>>
  /** For each module node: its distinct arguments that are results of `lazy` calls (demanded once the others have values). */
  readonly lazyArgs: ReadonlyArray<ReadonlyArray<number>>
  /** Whether any module takes the result of a `lazy` call as an argument. */
  readonly hasLazyArgs: boolean
  /** For each data node: its inline expression, if it has one. */
  readonly inlineExpr: ReadonlyArray<InlineExpr | undefined>
  /** For each data node: the declared outputs bound to it. */
  readonly outputsOf: ReadonlyArray<ReadonlyArray<OutputBinding>>
  /** For each module node: the data node it fills. */
  readonly modules: ReadonlyArray<ModuleNode>
  readonly outputCount: number
  /** The declared outputs' names, in declaration order. */
  readonly outputNames: ReadonlyArray<string>
  /** For each data node whose expression makes calls per element (ElementRun.ts): those calls' module nodes. */
  readonly callNodes: ReadonlyArray<ReadonlyArray<number> | undefined>
}

export interface OutputBinding {
  readonly name: string
  /** Trims a value to the output's declared type, when that type has records (a wider record may stand for it). */
  readonly encode: ((v: Value) => Value) | undefined
}

const plans = new WeakMap<DagSpec, Plan>()
const none: ReadonlyArray<number> = []

const build = (dag: DagSpec): Plan => {
  const n = dag.data.length
  const moduleConsumers: Array<Array<number>> = Array.from({ length: n }, () => [])
  const inlineConsumers: Array<Array<number>> = Array.from({ length: n }, () => [])
  const inlineInputs = new Int32Array(n)
  const inlineExpr: Array<InlineExpr | undefined> = new Array(n).fill(undefined)
  const outputsOf: Array<Array<OutputBinding>> = Array.from({ length: n }, () => [])
  const lazy = lazyOutputs(dag)
  const inlineStrict: Array<ReadonlyArray<number>> = new Array(n).fill(none)
  const callNodes: Array<Array<number> | undefined> = new Array(n).fill(undefined)
  for (const m of dag.modules) if (m.runsIn !== undefined) (callNodes[m.runsIn] ??= []).push(m.id)
  for (const node of dag.data) {
    if (node.source._tag !== "Inline") continue
    inlineExpr[node.id] = node.source.expr
    // An expression making calls per element is evaluated once everything it reads has a value (ElementRun.ts).
    const deps = callNodes[node.id] === undefined ? new Set<number>() : new Set(node.source.deps)
    strictReads(node.source.expr, lazy, deps)
    inlineInputs[node.id] = deps.size
    inlineStrict[node.id] = [...deps]
    for (const d of deps) inlineConsumers[d]?.push(node.id)
  }
  const moduleInputs = new Int32Array(dag.modules.length)
  const eagerArgs: Array<ReadonlyArray<number>> = []
  const lazyArgs: Array<ReadonlyArray<number>> = []
  let hasLazyArgs = false
  for (const m of dag.modules) {
    const deps = new Set(m.args.map((a) => a.data))
    moduleInputs[m.id] = deps.size
    for (const d of deps) moduleConsumers[d]?.push(m.id)
    const all = [...deps]
    const late = lazy.size === 0 ? none : all.filter((d) => lazy.has(d))
    hasLazyArgs ||= late.length > 0
    eagerArgs.push(late.length === 0 ? all : all.filter((d) => !lazy.has(d)))
    lazyArgs.push(late.length === 0 ? none : late)
  }
  for (const o of dag.outputs) {
    const encode = hasRecord(o.type) ? (v: Value) => encodeValue(o.type, v) as Value : undefined
    outputsOf[o.data]?.push({ name: o.name, encode })
  }
  return {
    dag,
    moduleConsumers,
    inlineConsumers,
    moduleInputs,
    inlineInputs,
    inlineStrict,
    eagerArgs,
    lazyArgs,
    hasLazyArgs,
    inlineExpr,
    outputsOf,
    modules: dag.modules,
    outputCount: dag.outputs.length,
    outputNames: dag.outputs.map((o) => o.name),
    callNodes
  }
}

/** The plan of a compiled pipeline, computed on first use and kept as long as the pipeline is. */
export const planOf = (pipeline: CompiledPipeline): Plan => {
  let plan = plans.get(pipeline.dag)
  if (plan === undefined) {
    plan = build(pipeline.dag)
    plans.set(pipeline.dag, plan)
  }
  return plan
}
