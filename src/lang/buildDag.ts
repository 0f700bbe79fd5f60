/**
 * Builds the DAG of a checked program.
 *
 * - Every input is an `Input` data node (ids 0..n-1, in declaration order),
 *   kept even when no output reads it: inputs are the pipeline's interface.
 * - Every call is one module node. Its arguments are data nodes in the
 *   module's parameter order: a variable argument is that variable's node,
 *   a call argument is that call's output node, anything else an `Inline`
 *   data node; an argument left out is its parameter's default, as an
 *   `Inline` literal. Its output is a data node; options are in
 *   milliseconds and a fallback is one more data node.
 * - An assignment whose value is exactly a call is that call's output node;
 *   any other is an `Inline` data node whose expression reads others by `Ref`.
 * - Anonymous nodes are named after their owner: `upper#arg0` (argument 0 of
 *   the call assigned to `upper`), `upper#call0` (the first call nested in
 *   the expression of `upper`), `upper#fallback`, nesting as `upper#arg0#arg1`.
 * - A list function (`filter`, `map`, `all`, `any`) is inline: a
 *   `ListFunction` expression whose lambda body reads its parameter as a
 *   `Param` slot (0 for the outermost lambda). A module call in the body
 *   that uses no parameter is a module node like any other, and the body
 *   reads its result; one that reads the parameter (or a `match` arm's
 *   fields) is made per element (lowerElementCalls.ts).
 * - A `branch` is a chain of `If`s, one per case, ending in `otherwise`;
 *   like an `if`'s branches and a `match`'s arms, each value is converted
 *   (`Coerce`) to the branch's type where their runtime forms differ (a
 *   member's value where the type is a union gains its tag).
 * - A lambda's parameter and a `match` arm's fields are bindings of the
 *   owner's scope (`withBindings`): the innermost hides the others.
 * - Assignments no declared output depends on are pruned: they get no nodes.
 * - Ids are indices in creation order: inputs, then assignments in
 *   dependency order, each after the nodes it reads, so they are
 *   deterministic for a given source.
 */
import type { Expr } from "./ast.js"
import type { CheckedProgram, CallExpr } from "./checker/CheckedProgram.js"
import { lambdaParamTypes } from "./checker/lambdas.js"
import { isListFunctionCall, listFunctionName } from "./checker/listFunctionCalls.js"
import type { ArithmeticKind, DagSpec, DataNode, DataSource, Edge, InlineExpr, ModuleNode } from "./dag.js"
import { isMergeable } from "./checker/merge.js"
import { needsCoercion } from "./coercion.js"
import { hashDag } from "./hash.js"
import { callOptions } from "./runOptions.js"
import { literal, withBindings } from "./inlineOwner.js"
import type { InlineOwner } from "./inlineOwner.js"
import { makeElementCalls } from "./lowerElementCalls.js"
import { coerce, mergeExpr, projectExpr } from "./lowerTypeAlgebra.js"
import { isAssignable, TUnknown } from "./types.js"
import type { Type } from "./types.js"
import type { Value } from "./value.js"

/** The values of expressions that are all literals, else `undefined`: constant lists and records fold to one literal. */
const literalValues = (items: ReadonlyArray<InlineExpr>): Array<Value> | undefined => {
  const values: Array<Value> = []
  for (const item of items) {
    if (item._tag !== "Literal") return undefined
    values.push(item.value)
  }
  return values
}

/** The names of the assignments some declared output depends on. */
const reachable = (checked: CheckedProgram): ReadonlySet<string> => {
  const references = new Map(checked.assignments.map((a) => [a.name, a.references] as const))
  const seen = new Set<string>()
  const stack = checked.outputs.map((o) => o.name)
  while (stack.length > 0) {
    const name = stack.pop()!
    if (seen.has(name)) continue
    seen.add(name)
    for (const dep of references.get(name) ?? []) if (!seen.has(dep)) stack.push(dep)
  }
  return seen
}

/** Builds the DAG (with its content hash) of a program that checked without diagnostics. */
export const compileProgram = (checked: CheckedProgram): DagSpec => {
  const data: Array<DataNode> = []
  const modules: Array<ModuleNode> = []
  const edges: Array<Edge> = []
  const named = new Map<string, number>()
  const typeOf = (e: Expr): Type => checked.types.get(e) ?? TUnknown

  const addData = (name: string, type: Type, source: DataSource): number => {
    const id = data.length
    data.push({ id, name, type, source })
    return id
  }

  /** Reads data node `id` from the inline expression being built, recording the dependency. */
  const read = (id: number, owner: InlineOwner): InlineExpr => {
    if (!owner.deps.includes(id)) owner.deps.push(id)
    return { _tag: "Ref", data: id }
  }

  /** How many lambdas enclose the body being lowered: the next lambda's parameter slot. */
  let lambdaDepth = 0
  const perElement = makeElementCalls({
    checked, modules, edges, typeOf, addData, read,
    lower: (e, owner) => lower(e, owner),
    insideLambda: () => lambdaDepth > 0
  })
  const lowerListFunction = (call: CallExpr, owner: InlineOwner): InlineExpr => {
    const [list, lambda] = call.args
    const fn = listFunctionName(call)
    if (list === undefined || lambda?._tag !== "Lambda" || (fn !== "filter" && fn !== "map" && fn !== "all" && fn !== "any")) {
      return literal(null)
    }
    const lowered = lower(list, owner)
    const slot = lambdaDepth
    const name = lambda.params[0]?.name.name ?? ""
    // The parameter hides a binding (an outer lambda's parameter, a match field) or node of the same name.
    // An element gains a union's tag where the parameter is annotated with a union wider than the elements.
    const listType = typeOf(list)
    const element = listType._tag === "List" ? listType.element : TUnknown
    const param = coerce({ _tag: "Param", slot }, element, lambdaParamTypes(lambda)[0] ?? element)
    lambdaDepth++
    const body = lower(lambda.body, withBindings(owner, new Map([[name, param]])))
    lambdaDepth--
    return { _tag: "ListFunction", fn, list: lowered, slot, body }
  }

  const lower = (e: Expr, owner: InlineOwner): InlineExpr => {
    switch (e._tag) {
      case "IntLiteral":
      case "FloatLiteral":
      case "BooleanLiteral":
        return literal(e.value)
      case "StringLiteral": {
        const parts: Array<string | InlineExpr> = []
        for (const part of e.parts) {
          const next = part._tag === "Text" ? part.value : interpolated(part.expr, owner)
          const last = parts[parts.length - 1]
          if (typeof next === "string" && typeof last === "string") parts[parts.length - 1] = last + next
          else if (next !== "") parts.push(next)
        }
        if (parts.length === 0) return literal("")
        return parts.length === 1 && typeof parts[0] === "string" ? literal(parts[0]) : { _tag: "Interpolate", parts }
      }
      case "ListLiteral": {
        const type = typeOf(e)
        const element = type._tag === "List" ? type.element : TUnknown
        const items = e.items.map((item) => coerce(lower(item, owner), typeOf(item), element))
        const values = literalValues(items)
        return values === undefined ? { _tag: "List", items } : literal(values)
      }
      case "RecordLiteral": {
        const fields = e.fields.map((f) => [f.name.name, lower(f.value, owner)] as const)
        const values = literalValues(fields.map(([, v]) => v))
        if (values === undefined) return { _tag: "Record", fields }
        // `fromEntries` defines properties, so a field named `__proto__` stays a field.
        return literal(Object.fromEntries(fields.map(([k], i) => [k, values[i]!])))
      }
      case "Variable":
        // A lambda's parameter or a `match` arm's field is bound in the owner's scope; any other name is a node.
        return owner.bindings?.get(e.name) ?? read(named.get(e.name)!, owner)
      case "Call":
        if (isListFunctionCall(e)) return perElement.hoisting(e, owner, (o) => lowerListFunction(e, o))
        if (perElement.readsBindings(e, owner)) return perElement.lowerCall(e, owner)
        return read(addCall(e, `${owner.name}#call${owner.calls++}`), owner)
      case "FieldAccess":
        return { _tag: "Field", target: lower(e.target, owner), field: e.field.name, listDepth: checked.listDepths.get(e) ?? 0 }
      case "Binary": {
        const left = lower(e.left, owner)
        const right = lower(e.right, owner)
        if (e.op === "+" && isMergeable(typeOf(e.left))) return mergeExpr(left, right, typeOf(e.left), typeOf(e.right))
        if (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/") {
          return { _tag: "Arithmetic", op: e.op, kind: arithmeticKind(typeOf(e), typeOf(e.left), typeOf(e.right)), left, right }
        }
        if (e.op === "==" || e.op === "!=") {
          const on = comparedOn(typeOf(e.left), typeOf(e.right))
          if (on !== undefined) {
            return { _tag: "Compare", op: e.op, left: coerce(left, typeOf(e.left), on), right: coerce(right, typeOf(e.right), on), on }
          }
        }
        return { _tag: "Compare", op: e.op, left, right }
      }
      case "And":
      case "Or":
        return { _tag: e._tag, left: lower(e.left, owner), right: lower(e.right, owner) }
      case "Coalesce":
        return { _tag: "Coalesce", left: lower(e.left, owner), right: coerce(lower(e.right, owner), typeOf(e.right), typeOf(e)) }
      case "Not":
        return { _tag: "Not", operand: lower(e.operand, owner) }
      case "When":
        return { _tag: "When", value: lower(e.value, owner), condition: lower(e.condition, owner) }
      case "If": {
        const then = coerce(lower(e.then, owner), typeOf(e.then), typeOf(e))
        return { _tag: "If", condition: lower(e.condition, owner), then, else: coerce(lower(e.else, owner), typeOf(e.else), typeOf(e)) }
      }
      case "Branch": {
        // Each value is converted to the branch's type, as an `if`'s are (a case may widen into a union).
        const joined = (value: Expr): InlineExpr => coerce(lower(value, owner), typeOf(value), typeOf(e))
        const cases = e.cases.map((c) => [lower(c.condition, owner), joined(c.value)] as const)
        let chain = joined(e.otherwise)
        for (let i = cases.length - 1; i >= 0; i--) chain = { _tag: "If", condition: cases[i]![0], then: cases[i]![1], else: chain }
        return chain
      }
      case "Projection":
        return projectExpr(lower(e.target, owner), e.fields.map((f) => f.name), typeOf(e.target))
      case "Match":
        return perElement.hoisting(e, owner, (o) => lowerMatch(e, o))
      case "Lambda":
      case "ErrorExpr":
        // A lambda outside a list function was reported by the checker: a program with one never compiles.
        return literal(null)
    }
  }

  const lowerMatch = (e: Extract<Expr, { readonly _tag: "Match" }>, owner: InlineOwner): InlineExpr => {
    const plan = checked.matches.get(e)!
    const scrutinee = lower(e.scrutinee, owner)
    const inner: InlineExpr = plan.union ? { _tag: "Untag", target: scrutinee } : scrutinee
    const arms = e.arms.map((arm, i) => {
      const { tags, fields, narrowed } = plan.arms[i]!
      const bound = new Map<string, InlineExpr>(fields.map((f) => [f, { _tag: "Field", target: inner, field: f, listDepth: 0 }]))
      if (narrowed !== undefined) bound.set(narrowed, inner)
      const body = lower(arm.body, bound.size === 0 ? owner : withBindings(owner, bound))
      return { tags, body: coerce(body, typeOf(arm.body), typeOf(e)) }
    })
    return { _tag: "Match", scrutinee, union: plan.union, arms }
  }

  /** A union value shows as its member's value in a string, not as `{tag, value}`. */
  const interpolated = (e: Expr, owner: InlineOwner): InlineExpr => {
    const value = lower(e, owner)
    return typeOf(e)._tag === "Union" ? { _tag: "Untag", target: value } : value
  }

  const addInline = (name: string, expr: Expr): number => {
    const owner: InlineOwner = { name, deps: [], calls: 0, root: expr }
    const outer = perElement.open()
    const inline = lower(expr, owner)
    const id = addData(name, typeOf(expr), { _tag: "Inline", expr: inline, deps: owner.deps })
    perElement.place(id, outer)
    for (const dep of owner.deps) edges.push({ from: `d${dep}`, to: `d${id}` })
    return id
  }

  /** A data node of type `to` holding `value` (of type `from`), coerced to `to`. */
  const addCoerced = (name: string, value: number, from: Type, to: Type): number => {
    const id = addData(name, to, { _tag: "Inline", expr: coerce({ _tag: "Ref", data: value }, from, to), deps: [value] })
    edges.push({ from: `d${value}`, to: `d${id}` })
    return id
  }

  /**
   * The data node of a value used by a call: a variable's or call's own
   * node, else a new inline node; one more node converts it where `to`
   * expects another runtime form (a union).
   */
  const dataFor = (e: Expr, name: string, to?: Type): number => {
    const id = e._tag === "Variable" ? named.get(e.name)! : isModuleCall(e) ? addCall(e, name) : addInline(name, e)
    return to !== undefined && needsCoercion(typeOf(e), to) ? addCoerced(`${name}#as`, id, typeOf(e), to) : id
  }

  const addCall = (call: CallExpr, name: string): number => {
    const info = checked.calls.get(call)!
    const args = info.module.params.map((param, i) => {
      const arg = call.args[i]
      // A left-out argument is the parameter's default, written into the DAG as a literal.
      const data = arg !== undefined ? dataFor(arg, `${name}#arg${i}`, info.params[i])
        : addData(`${name}#arg${i}`, param.type, { _tag: "Inline", expr: literal(param.default ?? null), deps: [] })
      return { param: param.name, data }
    })
    const options = callOptions(info)
    const fallback = info.options.fallback
    if (fallback !== undefined) options.fallback = dataFor(fallback, `${name}#fallback`, info.type)
    const id = modules.length
    const output = addData(name, info.type, { _tag: "Module", module: id })
    modules.push({ id, module: info.module.name, args, output, options, line: call.span.start.line, column: call.span.start.column })
    for (const arg of args) edges.push({ from: `d${arg.data}`, to: `m${id}` })
    if (options.fallback !== undefined) edges.push({ from: `d${options.fallback}`, to: `m${id}` })
    edges.push({ from: `m${id}`, to: `d${output}` })
    return output
  }

  const inputs = checked.inputs.map((input) => {
    const id = addData(input.name, input.type, { _tag: "Input", input: input.name })
    named.set(input.name, id)
    return { name: input.name, type: input.type, data: id }
  })
  const keep = reachable(checked)
  for (const a of checked.assignments) {
    if (!keep.has(a.name)) continue
    named.set(a.name, isModuleCall(a.value) ? addCall(a.value, a.name) : addInline(a.name, a.value))
  }
  const outputs = checked.outputs.map((o) => {
    const id = named.get(o.name)!
    const from = data[id]!.type
    return { name: o.name, type: o.type, data: needsCoercion(from, o.type) ? addCoerced(`${o.name}#out`, id, from, o.type) : id }
  })

  const content = { version: 1 as const, inputs, outputs, data, modules, edges }
  return { version: 1, hash: hashDag(content), inputs, outputs, data, modules, edges }
}

/** A call of a module (a node of its own), not of a list function (inline). */
const isModuleCall = (e: Expr): e is CallExpr => e._tag === "Call" && !isListFunctionCall(e)

/** The arithmetic an operator does, from its result type (or, when that is unknown, its operands'). */
const hasRecord = (t: Type): boolean =>
  t._tag === "Record" || (t._tag === "List" && hasRecord(t.element)) || (t._tag === "Optional" && hasRecord(t.inner)) ||
  t._tag === "Union" || (t._tag === "Map" && hasRecord(t.value))

/**
 * The type `==` and `!=` compare on: the operand's type the other is
 * assignable to (the wider one). Undefined when it holds no record, union
 * or map: the whole values are compared.
 */
const comparedOn = (left: Type, right: Type): Type | undefined => {
  const on = isAssignable(left, right) ? right : left
  return hasRecord(on) ? on : undefined
}

const arithmeticKind = (result: Type, left: Type, right: Type): ArithmeticKind => {
  if (result._tag === "String" || result._tag === "Int" || result._tag === "Float") return result._tag
  if (left._tag === "String" || right._tag === "String") return "String"
  return left._tag === "Int" && right._tag === "Int" ? "Int" : "Float"
}
