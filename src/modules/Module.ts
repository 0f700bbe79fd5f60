/**
 * The module definition API: a module is a name, a description, named
 * parameters and a result given as Schemas (from which the language types
 * are derived), and an implementation.
 *
 * ```ts
 * const Greet = Module.make({
 *   name: "Greet",
 *   description: "Says hello.",
 *   params: { name: Schema.String },
 *   result: Schema.String,
 *   run: ({ name }) => Effect.succeed(`hello ${name}`)
 * })
 * ```
 *
 * `Module.sync` defines a module from a plain function; the runtime calls
 * such a module directly, without a fiber, the moment its inputs exist.
 */
import { Effect, Exit, Either, ParseResult, Schema } from "effect"
import { decodeValue } from "../lang/codec.js"
import { hasUnion, untagged } from "../lang/coercion.js"
import type { ValueIssue } from "../lang/codec.js"
import type { Type } from "../lang/types.js"
import type { Value } from "../lang/value.js"
import { ModuleError } from "./ModuleError.js"
import { schemaHasChecks, typeFromSchema } from "./typeFromSchema.js"

export interface Parameter {
  readonly name: string
  readonly type: Type
}

/** How the runtime calls a module. Arguments and result are values in their wire form. */
export type Implementation<R> =
  | {
    readonly _tag: "Sync"
    /** Returns the result, or a `ModuleError` for a failure it expects; a throw is a defect. */
    readonly run: (args: ReadonlyArray<Value>) => Value | ModuleError
  }
  | {
    readonly _tag: "Effect"
    readonly run: (args: ReadonlyArray<Value>) => Effect.Effect<Value, unknown, R>
  }

/** A module ready for the registry. `R` is the services its implementation needs. */
export interface Module<R = never> {
  readonly name: string
  readonly description: string
  readonly params: ReadonlyArray<Parameter>
  readonly result: Type
  readonly implementation: Implementation<R>
}

type Params = Readonly<Record<string, Schema.Schema.AnyNoContext>>
type Args<P extends Params> = { readonly [K in keyof P]: Schema.Schema.Type<P[K]> }

interface Spec<P extends Params, A, I> {
  readonly name: string
  readonly description: string
  /** Parameters in call order: `Name(a, b)` maps `a` to the first key. */
  readonly params: P
  readonly result: Schema.Schema<A, I>
}

const NAME = /^[A-Z][A-Za-z0-9_-]*$/

const describeIssues = (issues: ReadonlyArray<ValueIssue>): string =>
  issues.slice(0, 3).map((i) => `${i.path}: expected ${i.expected}, got ${i.got}`).join("; ")

/** Decodes positional wire values into the implementation's named arguments, and encodes its result. */
const codec = <P extends Params, A, I>(spec: Spec<P, A, I>) => {
  if (!NAME.test(spec.name)) {
    throw new Error(`Module name '${spec.name}' must start with an upper-case letter and contain only letters, digits, '_' and '-'`)
  }
  const names = Object.keys(spec.params)
  const params: Array<Parameter> = names.map((name) => {
    const schema = spec.params[name]
    if (schema === undefined) throw new Error(`Module ${spec.name}: parameter '${name}' has no schema`)
    return { name, type: typeFromSchema(schema, `${spec.name}(${name})`) }
  })
  const result = typeFromSchema(spec.result, `${spec.name} result`)
  const argsSchema = Schema.Struct(spec.params) as unknown as Schema.Schema<Args<P>, unknown>
  const decodeArgs = schemaHasChecks(argsSchema.ast)
    ? (() => {
      const decode = Schema.decodeUnknownEither(argsSchema)
      return (record: Record<string, Value>): Args<P> | ModuleError => {
        const r = decode(record)
        return r._tag === "Right"
          ? r.right
          : new ModuleError({ code: "invalid_argument", message: `${spec.name}: ${ParseResult.TreeFormatter.formatErrorSync(r.left)}` })
      }
    })()
    : (record: Record<string, Value>) => record as unknown as Args<P>
  const encodeResult = ((): (a: A) => Value | ModuleError => {
    const invalid = (detail: string) =>
      new ModuleError({ code: "invalid_result", message: `${spec.name} returned a value that is not a valid result: ${detail}` })
    // The language-level check also rejects what a Schema lets through but a
    // value must not be (NaN, Infinity, undefined), drops undeclared record
    // fields and spells a missing optional field as null.
    const check = (encoded: unknown): Value | ModuleError => {
      const r = decodeValue(result, encoded, "result")
      return Either.isRight(r) ? r.right : invalid(describeIssues(r.left))
    }
    if (!schemaHasChecks(spec.result.ast)) return check
    const encode = Schema.encodeEither(spec.result)
    return (a) => {
      const r = encode(a)
      return Either.isRight(r) ? check(r.right) : invalid(ParseResult.TreeFormatter.formatErrorSync(r.left))
    }
  })()
  // A union argument arrives as {tag, value}; the implementation's Schema union wants the value.
  const unionParams = params.map((p) => hasUnion(p.type))
  const toRecord = (args: ReadonlyArray<Value>): Record<string, Value> => {
    const record: Record<string, Value> = {}
    for (let i = 0; i < names.length; i++) {
      const arg = args[i] ?? null
      record[names[i] as string] = unionParams[i] === true ? untagged(arg, params[i]!.type) : arg
    }
    return record
  }
  /** What every module has besides its implementation. */
  const header = { name: spec.name, description: spec.description, params, result }
  return { header, decodeArgs, encodeResult, toRecord }
}

/** Defines a module whose implementation is an Effect: it may suspend, fail with a typed error, and need services. */
export const make = <P extends Params, A, I, E, R>(spec: Spec<P, A, I> & {
  readonly run: (args: Args<P>) => Effect.Effect<A, E, R>
}): Module<R> => {
  const c = codec(spec)
  return {
    ...c.header,
    implementation: {
      _tag: "Effect",
      run: (args) => {
        const decoded = c.decodeArgs(c.toRecord(args))
        if (decoded instanceof ModuleError) return Exit.fail(decoded)
        // An implementation that throws while building its effect is a defect, not a throw.
        let effect: Effect.Effect<A, E, R>
        try {
          effect = spec.run(decoded)
        } catch (defect) {
          return Exit.die(defect)
        }
        const encode = (a: A) => {
          const v = c.encodeResult(a)
          return v instanceof ModuleError ? Exit.fail(v) : Exit.succeed(v)
        }
        // An effect that is already complete (Effect.succeed, Effect.fail) stays an Exit,
        // so the runtime can take its result without a fiber.
        if (Exit.isExit(effect)) {
          const exit = effect as Exit.Exit<A, E>
          return Exit.isSuccess(exit) ? encode(exit.value) : Exit.failCause(exit.cause)
        }
        return Effect.flatMap(effect, encode)
      }
    }
  }
}

/** Defines a module from a plain function. It may return a `ModuleError` to fail; a throw is a defect. */
export const sync = <P extends Params, A, I>(spec: Spec<P, A, I> & {
  readonly run: (args: Args<P>) => A | ModuleError
}): Module<never> => {
  const c = codec(spec)
  return {
    ...c.header,
    implementation: {
      _tag: "Sync",
      run: (args) => {
        const decoded = c.decodeArgs(c.toRecord(args))
        if (decoded instanceof ModuleError) return decoded
        const a = spec.run(decoded)
        return a instanceof ModuleError ? a : c.encodeResult(a)
      }
    }
  }
}

/** The schema of an `Int` parameter or result: a safe integer. */
export const Int = Schema.Int
