/**
 * `npm run generate:client-shapes`: writes `src/client/internal/wireShapes.ts`,
 * the shapes the clients check the server's answers with (see
 * `src/client/internal/Shape.ts`), from the Schemas of the wire contract
 * (`src/protocol`): the payload of each event (`events.ts`), the JSON
 * bodies (`api.ts`, `errors.ts`, `executions.ts`), the `snapshot` and
 * `resync` events of `GET /executions/{id}/events` (`executions.ts`) and
 * the WebSocket refusal frame (`frames.ts`). Run it after changing those Schemas;
 * test/client/wireShapes.test.ts fails until it is.
 */
import { Option, Schema, SchemaAST } from "effect"
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Shape } from "../src/client/internal/Shape.js"
import { InlineExprSchema, TypeSchema, ValueSchema } from "../src/lang/dag.js"
import { SafeRecordSchemaId } from "../src/lang/safeRecord.js"
import { BatchResponse, CompileResponse, ModulesResponse } from "../src/protocol/api.js"
import { ErrorBody, ErrorInfo } from "../src/protocol/errors.js"
import { eventSchemas } from "../src/protocol/events.js"
import { ExecutionCreated, ExecutionList, ExecutionState, ResyncData, SnapshotData } from "../src/protocol/executions.js"
import { RefusalFrame } from "../src/protocol/frames.js"

export const target = fileURLToPath(new URL("../src/client/internal/wireShapes.ts", import.meta.url))

/** Schemas given a name: the recursive ones (reached through `Schema.suspend`), and ErrorInfo, used everywhere. */
const named: ReadonlyArray<readonly [string, Schema.Schema.Any]> = [
  ["Value", ValueSchema],
  ["Type", TypeSchema],
  ["InlineExpr", InlineExprSchema],
  ["ErrorInfo", ErrorInfo]
]

/** The JSON bodies and frames the clients read, other than events. */
export const bodies = {
  ErrorBody,
  BatchResponse,
  CompileResponse,
  ModulesResponse,
  RefusalFrame,
  ExecutionCreated,
  ExecutionState,
  ExecutionList,
  SnapshotData,
  ResyncData
} as const

const names = new Map<SchemaAST.AST, string>(named.map(([name, schema]) => [schema.ast, name]))

/** The shape of the type side of `ast`; `root` is true for a named schema's own definition. */
const shapeOf = (ast: SchemaAST.AST, root = false): Shape => {
  const name = names.get(ast)
  if (name !== undefined && !root) return { ref: name }
  switch (ast._tag) {
    case "StringKeyword":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "UndefinedKeyword":
      return "undefined"
    case "UnknownKeyword":
      return "unknown"
    case "Literal":
      if (typeof ast.literal === "bigint") throw new Error("a bigint literal has no JSON form")
      return { literal: [ast.literal] }
    case "Union": {
      const members = ast.types.map((t) => shapeOf(t))
      // Literal(a, b) is a union of literals: keep it one literal shape.
      const literals = members.flatMap((m) => (typeof m === "object" && "literal" in m ? m.literal : []))
      return literals.length === members.length ? { literal: literals } : { union: members }
    }
    case "TupleType": {
      if (ast.elements.some((e) => e.isOptional)) throw new Error("optional tuple elements are not supported")
      if (ast.elements.length === 0 && ast.rest.length === 1) return { array: shapeOf(ast.rest[0]!.type) }
      if (ast.rest.length === 0) return { tuple: ast.elements.map((e) => shapeOf(e.type)) }
      throw new Error("a tuple with a rest element is not supported")
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 1) throw new Error("more than one index signature is not supported")
      const index = ast.indexSignatures[0]
      if (index !== undefined && index.parameter._tag !== "StringKeyword") throw new Error("only string keys are supported")
      const struct = Object.fromEntries(ast.propertySignatures.map((p) => {
        if (typeof p.name !== "string") throw new Error("only string keys are supported")
        return [p.name, shapeOf(p.type)]
      }))
      const optional = ast.propertySignatures.filter((p) => p.isOptional).map((p) => String(p.name))
      return { struct, ...(optional.length > 0 ? { optional } : {}), ...(index !== undefined ? { rest: shapeOf(index.type) } : {}) }
    }
    case "Refinement": {
      const id = SchemaAST.getSchemaIdAnnotation(ast)
      if (Option.isSome(id) && id.value === Schema.IntSchemaId && ast.from._tag === "NumberKeyword") return "int"
      throw new Error(`a refinement the clients cannot check: ${String(ast)}`)
    }
    case "Suspend":
      return shapeOf(ast.f())
    case "Declaration": {
      // `safeRecord` (src/lang/safeRecord.ts): string keys, each value of its one type parameter, every own key kept
      // (`__proto__` too, which the checker sets as an own key).
      const id = SchemaAST.getSchemaIdAnnotation(ast)
      if (Option.isSome(id) && id.value === SafeRecordSchemaId && ast.typeParameters.length === 1) {
        return { struct: {}, rest: shapeOf(ast.typeParameters[0]!) }
      }
      throw new Error(`a declared Schema the clients cannot check: ${String(ast)}`)
    }
    default:
      throw new Error(`a Schema the clients cannot check: ${ast._tag} (${String(ast)})`)
  }
}

/** The text of `wireShapes.ts`. */
export const render = (): string => {
  const line = (key: string, shape: Shape) => `  ${JSON.stringify(key)}: ${JSON.stringify(shape)}`
  const table = (entries: ReadonlyArray<readonly [string, Shape]>) => `{\n${entries.map(([k, s]) => line(k, s)).join(",\n")}\n}`
  return `/**
 * Generated by scripts/clientShapes.ts (npm run generate:client-shapes)
 * from the Schemas of src/protocol: do not edit.
 *
 * @internal
 */
import type { Defs, Shape } from "./Shape.js"

/** The named shapes. */
export const defs: Defs = ${table(named.map(([name, schema]) => [name, shapeOf(schema.ast, true)]))}

/** The payload of each stream event, by event name (src/protocol/events.ts). */
export const events: { readonly [name: string]: Shape } = ${table(Object.entries(eventSchemas).map(([name, schema]) => [name, shapeOf(schema.ast)]))}

/** The JSON bodies the clients read (src/protocol/api.ts, errors.ts, executions.ts), the snapshot and resync events and the WebSocket refusal frame (frames.ts). */
export const bodies: { readonly [name in ${Object.keys(bodies).map((k) => JSON.stringify(k)).join(" | ")}]: Shape } = ${table(Object.entries(bodies).map(([name, schema]) => [name, shapeOf(schema.ast)]))}
`
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  writeFileSync(target, render())
  console.log(`wrote ${target}`)
}
