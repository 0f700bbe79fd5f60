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
 *
 * Trailing parameters may have defaults, so a module can grow a parameter
 * without breaking the pipelines that call it: with
 * `params: { number: Schema.Number, decimals: Module.Int }` and
 * `defaults: { decimals: 2 }`, both `FormatNumber(n)` and
 * `FormatNumber(n, 2)` are valid calls. A call that leaves an argument out
 * passes the default (the compiler writes it into the DAG).
 *
 * A module name is either top-level (`Uppercase`: it starts with an
 * upper-case letter) or namespaced (`stdlib.math.add`: lower-case
 * namespace segments, then the member's name, which may be lower-case);
 * pipelines call a namespaced module by its full name, through an alias
 * (`use stdlib.math as m`, then `m.add(...)`) or by its member name
 * (see docs/language.md, "Namespaces").
 */
import { Effect, Exit, Either, ParseResult, Schema } from "effect"
import { syncThunkOf } from "../internal/effectSync.js"
import { Later } from "../internal/Later.js"
import { checkValue, decodeValue, InvalidValue } from "../lang/codec.js"
import { hasUnion, untagged } from "../lang/coercion.js"
import type { ValueIssue } from "../lang/codec.js"
import type { Type } from "../lang/types.js"
import type { Value } from "../lang/value.js"
import { ModuleError } from "./ModuleError.js"
import { schemaHasChecks, typeFromSchema } from "./typeFromSchema.js"

export interface Parameter {
  readonly name: string
  readonly type: Type
  /** The value passed when a call leaves this argument out (wire form); only trailing parameters have one. */
  readonly default?: Value
}

/** How the runtime calls a module. Arguments and result are values in their wire form. */
export type Implementation<R> =
  | {
    readonly _tag: "Sync"
    /** Returns the result, or a `ModuleError` for a failure it expects; a throw is a defect. */
    readonly run: (args: ReadonlyArray<Value>) => Value | ModuleError
    /** `run` reads `args` during the call only and keeps no reference to it: the runtime may pass the same array to every call. */
    readonly borrowsArgs?: boolean
  }
  | {
    readonly _tag: "Effect"
    readonly run: (args: ReadonlyArray<Value>) => Effect.Effect<Value, unknown, R>
    /** `run` reads `args` while it builds the effect only (the effect does not): the runtime may pass the same array to every call. */
    readonly borrowsArgs?: boolean
    /**
     * `run` without the `Exit` around an outcome known at once: the result,
     * a `ModuleError`, or (`Later`) the effect still to run, or a failure's
     * `Exit`. `Module.make` gives it; the runtime calls it instead of `run`
     * when it is there, so one never suspending costs no `Exit` per call.
     *
     * @internal
     */
    readonly call?: (args: ReadonlyArray<Value>) => Value | ModuleError | Later<R>
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
  /**
   * Default values of trailing parameters, by name: a call may leave out
   * every argument from the first defaulted parameter on. A parameter
   * with a default must not come before one without.
   */
  readonly defaults?: Defaults<P>
  readonly result: Schema.Schema<A, I>
}

/** Default values for some parameters, each of its parameter's Schema type. */
export type Defaults<P extends Params> = { readonly [K in keyof P]?: Schema.Schema.Type<P[K]> }

const NAME = /^[A-Z][A-Za-z0-9_-]*$/
/** A namespaced name: lower-case namespace segments, then a member whose `-`s sit between letters or digits. */
const NAMESPACED = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\.[A-Za-z](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9_]))*$/

/** True when `name` may name a module: `Uppercase`, or a namespaced `stdlib.math.add`. */
export const isValidModuleName = (name: string): boolean => NAME.test(name) || NAMESPACED.test(name)

/** The encoded (wire) form of a parameter's default, checked against its language type. */
const encodeDefault = (moduleName: string, param: string, schema: Schema.Schema.AnyNoContext, type: Type, value: unknown): Value => {
  const fail = (detail: string): never => {
    throw new Error(`Module ${moduleName}: the default of parameter '${param}' is not a valid value: ${detail}`)
  }
  const encoded = Schema.encodeEither(schema)(value)
  if (Either.isLeft(encoded)) return fail(ParseResult.TreeFormatter.formatErrorSync(encoded.left))
  const checked = decodeValue(type, encoded.right, "default")
  return Either.isRight(checked) ? checked.right : fail(describeIssues(checked.left))
}

const describeIssues = (issues: ReadonlyArray<ValueIssue>): string =>
  issues.slice(0, 3).map((i) => `${i.path}: expected ${i.expected}, got ${i.got}`).join("; ")

/** Decodes positional wire values into the implementation's named arguments, and encodes its result. */
const codec = <P extends Params, A, I>(spec: Spec<P, A, I>) => {
  if (!isValidModuleName(spec.name)) {
    throw new Error(
      `Module name '${spec.name}' must start with an upper-case letter and contain only letters, digits, '_' and '-', or be namespaced like 'acme.text.shout'`
    )
  }
  const names = Object.keys(spec.params)
  const defaults: Readonly<Record<string, unknown>> = spec.defaults ?? {}
  for (const name of Object.keys(defaults)) {
    if (!names.includes(name)) throw new Error(`Module ${spec.name}: a default is given for '${name}', which is not a parameter`)
  }
  const params: Array<Parameter> = names.map((name, i) => {
    const schema = spec.params[name]
    if (schema === undefined) throw new Error(`Module ${spec.name}: parameter '${name}' has no schema`)
    const type = typeFromSchema(schema, `${spec.name}(${name})`)
    if (!(name in defaults)) {
      const defaulted = names.slice(0, i).find((n) => n in defaults)
      if (defaulted !== undefined) {
        throw new Error(`Module ${spec.name}: parameter '${name}' needs a default, since '${defaulted}' before it has one`)
      }
      return { name, type }
    }
    return { name, type, default: encodeDefault(spec.name, name, schema, type, defaults[name]) }
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
      const r = checkValue(result, encoded, "result")
      return r instanceof InvalidValue ? invalid(describeIssues(r.issues)) : r
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
      const arg = i < args.length ? args[i] ?? null : params[i]?.default ?? null
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
  // One function for every call (not a closure per call): it only needs the codec.
  const encode = (a: A): Exit.Exit<Value, ModuleError> => {
    const v = c.encodeResult(a)
    return v instanceof ModuleError ? Exit.fail(v) : Exit.succeed(v)
  }
  const call = (args: ReadonlyArray<Value>): Value | ModuleError | Later<R> => {
    const decoded = c.decodeArgs(c.toRecord(args))
    if (decoded instanceof ModuleError) return decoded
    // An implementation that throws while building its effect is a defect, not a throw.
    let effect: Effect.Effect<A, E, R>
    try {
      effect = spec.run(decoded)
    } catch (defect) {
      return new Later(Exit.die(defect))
    }
    // An `Effect.sync`: its function is called here, as a `Module.sync` body is
    // (it cannot suspend, and a throw is a defect, as it is in a fiber).
    const thunk = syncThunkOf(effect)
    if (thunk !== undefined) {
      let a: A
      try {
        a = thunk() as A
      } catch (defect) {
        return new Later(Exit.die(defect))
      }
      return c.encodeResult(a)
    }
    // An effect that is already complete (Effect.succeed, Effect.fail): its result, with no fiber.
    if (Exit.isExit(effect)) {
      const exit = effect as Exit.Exit<A, E>
      return Exit.isSuccess(exit) ? c.encodeResult(exit.value) : new Later(Exit.failCause(exit.cause))
    }
    return new Later(Effect.flatMap(effect, encode))
  }
  return {
    ...c.header,
    implementation: {
      _tag: "Effect",
      // The arguments are copied into a record before anything else.
      borrowsArgs: true,
      call,
      run: (args) => {
        const r = call(args)
        return r instanceof Later ? r.effect : r instanceof ModuleError ? Exit.fail(r) : Exit.succeed(r)
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
      // The arguments are copied into a record before anything else.
      borrowsArgs: true,
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
