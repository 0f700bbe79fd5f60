/**
 * Content hashes of compiled pipelines: sha256 over the canonical JSON form
 * of the DAG (object keys sorted at every level, no whitespace), so the same
 * DAG always hashes the same, whatever order its objects were built in.
 *
 * `canonicalJson` is the definition; `dagJson` writes the same text for a
 * DAG several times faster by knowing its shape (keys in sorted order,
 * written directly), which matters on every cold compile. The key lists are
 * checked against the DAG types at compile time below, so a field added to
 * the DAG cannot be left out of the hash silently.
 */
import { createHash } from "node:crypto"
import type { Binding, DagSpec, DataNode, DataSource, Edge, InlineExpr, ModuleNode, ModuleOptions } from "./dag.js"
import type { Type } from "./types.js"

/** JSON with object keys in sorted order at every level; `undefined` fields are left out, as `JSON.stringify` does. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) {
    let out = "["
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      out += (i === 0 ? "" : ",") + (item === undefined ? "null" : canonicalJson(item))
    }
    return out + "]"
  }
  const record = value as Record<string, unknown>
  let out = "{"
  for (const key of Object.keys(record).sort()) {
    const field = record[key]
    if (field === undefined) continue
    out += (out.length === 1 ? "" : ",") + JSON.stringify(key) + ":" + canonicalJson(field)
  }
  return out + "}"
}

// Compile-time proof that each key list below names every key of its type.
type Covers<T, K extends keyof T> = [Exclude<keyof T, K>] extends [never] ? true : never
type Expr<T extends InlineExpr["_tag"]> = Extract<InlineExpr, { readonly _tag: T }>
type Source<T extends DataSource["_tag"]> = Extract<DataSource, { readonly _tag: T }>
export const dagKeysCovered: ReadonlyArray<true> = [
  true satisfies Covers<Omit<DagSpec, "hash">, "data" | "edges" | "inputs" | "modules" | "outputs" | "version">,
  true satisfies Covers<Binding, "data" | "name" | "type">,
  true satisfies Covers<DataNode, "id" | "name" | "source" | "type">,
  true satisfies Covers<Source<"Input">, "_tag" | "input">,
  true satisfies Covers<Source<"Module">, "_tag" | "module">,
  true satisfies Covers<Source<"Inline">, "_tag" | "deps" | "expr">,
  true satisfies Covers<ModuleNode, "args" | "column" | "id" | "line" | "module" | "options" | "output" | "runsIn">,
  true satisfies Covers<ModuleNode["args"][number], "data" | "param">,
  true satisfies Covers<
    ModuleOptions,
    | "backoff"
    | "cacheMs"
    | "concurrency"
    | "delayMs"
    | "fallback"
    | "lazy"
    | "maxDelayMs"
    | "onError"
    | "priority"
    | "retry"
    | "throttle"
    | "timeoutMs"
  >,
  true satisfies Covers<Edge, "from" | "to">,
  true satisfies Covers<Expr<"Literal">, "_tag" | "value">,
  true satisfies Covers<Expr<"Ref">, "_tag" | "data">,
  true satisfies Covers<Expr<"Arithmetic">, "_tag" | "kind" | "left" | "op" | "right">,
  true satisfies Covers<Expr<"Compare">, "_tag" | "left" | "on" | "op" | "right">,
  true satisfies Covers<Expr<"And" | "Or" | "Coalesce">, "_tag" | "left" | "right">,
  true satisfies Covers<Expr<"Not">, "_tag" | "operand">,
  true satisfies Covers<Expr<"If">, "_tag" | "condition" | "else" | "then">,
  true satisfies Covers<Expr<"Field">, "_tag" | "field" | "listDepth" | "target">,
  true satisfies Covers<Expr<"List">, "_tag" | "items">,
  true satisfies Covers<Expr<"Record">, "_tag" | "fields">,
  true satisfies Covers<Expr<"Interpolate">, "_tag" | "parts">,
  true satisfies Covers<Expr<"When">, "_tag" | "condition" | "value">,
  true satisfies Covers<Expr<"Param">, "_tag" | "slot">,
  true satisfies Covers<Expr<"ListFunction">, "_tag" | "body" | "fn" | "list" | "slot">,
  true satisfies Covers<Expr<"Project">, "_tag" | "fields" | "listDepth" | "target">,
  true satisfies Covers<Expr<"Merge">, "_tag" | "left" | "leftDepth" | "leftFields" | "right" | "rightDepth" | "rightFields">,
  true satisfies Covers<Expr<"Match">, "_tag" | "arms" | "scrutinee" | "union">,
  true satisfies Covers<Expr<"Untag">, "_tag" | "target">,
  true satisfies Covers<Expr<"Coerce">, "_tag" | "from" | "to" | "value">,
  true satisfies Covers<Expr<"Call">, "_tag" | "args" | "fallback" | "module">
]

/** Strings of these characters need no escaping: quote them without a call to `JSON.stringify`. */
const plain = /^[\w#. :-]*$/
const str = (s: string): string => (plain.test(s) ? `"${s}"` : JSON.stringify(s))
const num = (n: number): string => (Number.isFinite(n) ? String(n) : "null")
const typeJson = new WeakMap<Type, string>()

const type = (t: Type): string => {
  let json = typeJson.get(t)
  if (json === undefined) {
    json = canonicalJson(t)
    typeJson.set(t, json)
  }
  return json
}

// String concatenation (ropes, flattened once by the hash) beats collecting parts and joining them.
const list = <A>(items: ReadonlyArray<A>, each: (a: A) => string): string => {
  let out = "["
  for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : ",") + each(items[i]!)
  return out + "]"
}

const binding = (b: Binding): string => `{"data":${num(b.data)},"name":${str(b.name)},"type":${type(b.type)}}`

const expr = (e: InlineExpr): string => {
  switch (e._tag) {
    case "Literal":
      return `{"_tag":"Literal","value":${canonicalJson(e.value)}}`
    case "Ref":
      return `{"_tag":"Ref","data":${num(e.data)}}`
    case "Arithmetic":
      return `{"_tag":"Arithmetic","kind":${str(e.kind)},"left":${expr(e.left)},"op":${str(e.op)},"right":${expr(e.right)}}`
    case "Compare":
      return `{"_tag":"Compare","left":${expr(e.left)},${e.on === undefined ? "" : `"on":${type(e.on)},`}"op":${str(e.op)},"right":${expr(e.right)}}`
    case "And":
    case "Or":
    case "Coalesce":
      return `{"_tag":"${e._tag}","left":${expr(e.left)},"right":${expr(e.right)}}`
    case "Not":
      return `{"_tag":"Not","operand":${expr(e.operand)}}`
    case "If":
      return `{"_tag":"If","condition":${expr(e.condition)},"else":${expr(e.else)},"then":${expr(e.then)}}`
    case "Field":
      return `{"_tag":"Field","field":${str(e.field)},"listDepth":${num(e.listDepth)},"target":${expr(e.target)}}`
    case "List":
      return `{"_tag":"List","items":${list(e.items, expr)}}`
    case "Record":
      return `{"_tag":"Record","fields":${list(e.fields, ([k, v]) => `[${str(k)},${expr(v)}]`)}}`
    case "Interpolate":
      return `{"_tag":"Interpolate","parts":${list(e.parts, (p) => (typeof p === "string" ? str(p) : expr(p)))}}`
    case "When":
      return `{"_tag":"When","condition":${expr(e.condition)},"value":${expr(e.value)}}`
    case "Param":
      return `{"_tag":"Param","slot":${num(e.slot)}}`
    case "ListFunction":
      return `{"_tag":"ListFunction","body":${expr(e.body)},"fn":${str(e.fn)},"list":${expr(e.list)},"slot":${num(e.slot)}}`
    // Rarer expressions of the type algebra take the general (slower) path.
    case "Project":
    case "Merge":
    case "Match":
    case "Untag":
    case "Coerce":
    case "Call":
      return canonicalJson(e)
  }
}

const source = (s: DataSource): string =>
  s._tag === "Input"
    ? `{"_tag":"Input","input":${str(s.input)}}`
    : s._tag === "Module"
    ? `{"_tag":"Module","module":${num(s.module)}}`
    : `{"_tag":"Inline","deps":${list(s.deps, num)},"expr":${expr(s.expr)}}`

const options = (o: ModuleOptions): string => {
  const fields: Array<string> = []
  if (o.backoff !== undefined) fields.push(`"backoff":${str(o.backoff)}`)
  if (o.cacheMs !== undefined) fields.push(`"cacheMs":${num(o.cacheMs)}`)
  if (o.concurrency !== undefined) fields.push(`"concurrency":${num(o.concurrency)}`)
  if (o.delayMs !== undefined) fields.push(`"delayMs":${num(o.delayMs)}`)
  if (o.fallback !== undefined) fields.push(`"fallback":${num(o.fallback)}`)
  if (o.lazy !== undefined) fields.push(`"lazy":${o.lazy}`)
  if (o.maxDelayMs !== undefined) fields.push(`"maxDelayMs":${num(o.maxDelayMs)}`)
  if (o.onError !== undefined) fields.push(`"onError":${str(o.onError)}`)
  if (o.priority !== undefined) fields.push(`"priority":${num(o.priority)}`)
  if (o.retry !== undefined) fields.push(`"retry":${num(o.retry)}`)
  if (o.throttle !== undefined) fields.push(`"throttle":{"count":${num(o.throttle.count)},"perMs":${num(o.throttle.perMs)}}`)
  if (o.timeoutMs !== undefined) fields.push(`"timeoutMs":${num(o.timeoutMs)}`)
  return `{${fields.join(",")}}`
}

const dataNode = (d: DataNode): string =>
  `{"id":${num(d.id)},"name":${str(d.name)},"source":${source(d.source)},"type":${type(d.type)}}`

const moduleNode = (m: ModuleNode): string =>
  `{"args":${list(m.args, (a) => `{"data":${num(a.data)},"param":${str(a.param)}}`)},"column":${num(m.column)},"id":${num(m.id)},` +
  `"line":${num(m.line)},"module":${str(m.module)},"options":${options(m.options)},"output":${num(m.output)}` +
  `${m.runsIn === undefined ? "" : `,"runsIn":${num(m.runsIn)}`}}`

/** The canonical JSON of a DAG's content (everything but its hash): exactly `canonicalJson(dag)`, faster. */
export const dagJson = (dag: Omit<DagSpec, "hash">): string =>
  `{"data":${list(dag.data, dataNode)},"edges":${list(dag.edges, (e) => `{"from":${str(e.from)},"to":${str(e.to)}}`)},` +
  `"inputs":${list(dag.inputs, binding)},"modules":${list(dag.modules, moduleNode)},"outputs":${list(dag.outputs, binding)},` +
  `"version":${num(dag.version)}}`

/** The content hash of a DAG, over everything but its `hash` field: `sha256:<64 hex digits>`. */
export const hashDag = (dag: Omit<DagSpec, "hash">): string =>
  `sha256:${createHash("sha256").update(dagJson(dag)).digest("hex")}`
