/**
 * The shapes the clients check the wire with (src/client/internal) against
 * the protocol's Schemas they are generated from (src/protocol): the
 * generated file is what the generator writes now, and on values drawn
 * from each Schema's Arbitrary, then broken at every place they can be, the
 * checker accepts exactly what Schema's decoding accepts and returns the
 * same value, a record's `__proto__` key included (safeRecord).
 */
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { render, target } from "../../scripts/clientShapes.js"
import { checker, formatIssue } from "../../src/client/internal/Shape.js"
import { bodies, defs, events } from "../../src/client/internal/wireShapes.js"
import { describePipeline } from "../../src/http/routes/compile.js"
import { compile } from "../../src/lang/compileSource.js"
import { makeRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"
import { BatchResponse, CompileResponse, ModulesResponse } from "../../src/protocol/api.js"
import type { CompileResponse as CompileResponseType } from "../../src/protocol/api.js"
import { ErrorBody } from "../../src/protocol/errors.js"
import { eventNames } from "../../src/protocol/eventKinds.js"
import { eventSchemas } from "../../src/protocol/events.js"
import { ExecutionCreated, ExecutionList, ExecutionState, ResyncData, SnapshotData } from "../../src/protocol/executions.js"
import { RefusalFrame } from "../../src/protocol/frames.js"

/** Every value one edit away from `value`: at each place, the key removed or the value replaced by one of another kind. */
const broken = (value: unknown): Array<unknown> => {
  const replacements: ReadonlyArray<unknown> = [null, "x", 1.5, -1, true, [], {}, [1], { a: 1 }]
  const out: Array<unknown> = replacements.filter((r) => r !== value)
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      for (const b of broken(item)) out.push(value.map((v, j) => (j === i ? b : v)))
      out.push(value.filter((_, j) => j !== i))
    })
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const { [key]: _, ...without } = value as Record<string, unknown>
      out.push(without)
      for (const b of broken(item)) out.push({ ...without, [key]: b })
    }
    out.push({ ...value, extra: "ignored" })
  }
  return out
}

/**
 * Checks that `check` and the Schema's decoding agree on `values` (of the
 * Schema's type) and every broken variant of them (at most `perValue`,
 * evenly spread).
 */
const agreeOn = (schema: Schema.Schema.Any, check: (u: unknown) => Either.Either<unknown, unknown>, values: ReadonlyArray<unknown>, perValue = Infinity) => {
  const decode = Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>, { onExcessProperty: "ignore" })
  const encode = Schema.encodeSync(schema as Schema.Schema<unknown, unknown>)
  let compared = 0
  let rejected = 0
  for (const value of values) {
    // What goes on the wire: the encoded value through JSON.
    const wire: unknown = JSON.parse(JSON.stringify(encode(value)))
    const variants = broken(wire)
    const stride = Math.max(1, Math.ceil(variants.length / perValue))
    for (const candidate of [wire, ...variants.filter((_, i) => i % stride === 0)]) {
      const bySchema = decode(candidate)
      const byShape = check(candidate)
      compared++
      if (Either.isLeft(bySchema)) rejected++
      expect(Either.isRight(byShape), JSON.stringify(candidate)).toBe(Either.isRight(bySchema))
      if (Either.isRight(bySchema) && Either.isRight(byShape)) expect(byShape.right).toEqual(bySchema.right)
    }
  }
  // Both verdicts were exercised, many times.
  expect(compared - rejected).toBeGreaterThan(values.length)
  expect(rejected).toBeGreaterThan(values.length)
}

/** `agreeOn` values drawn from the Schema's Arbitrary. */
const agree = (schema: Schema.Schema.Any, check: (u: unknown) => Either.Either<unknown, unknown>, samples: number) =>
  agreeOn(schema, check, FastCheck.sample(Arbitrary.make(schema as Schema.Schema<unknown, unknown>), { numRuns: samples, seed: 12 }))

/** The compile responses of the example pipelines (Schema's Arbitrary cannot draw a DAG: its expressions recurse too deeply). */
const compileResponses = (): Array<CompileResponseType> => {
  const dir = new URL("../../examples/", import.meta.url)
  const registry = makeRegistry(makeStdlib())
  return readdirSync(dir).filter((f) => f.endsWith(".cst")).map((f) => {
    const source = readFileSync(new URL(f, dir), "utf8")
    const compiled = compile(source, registry)
    if (Either.isLeft(compiled)) throw new Error(`${f} does not compile`)
    return describePipeline(compiled.right, source)
  })
}

describe("the clients' wire shapes", () => {
  it("are what scripts/clientShapes.ts generates from the Schemas now (npm run generate:client-shapes)", () => {
    expect(readFileSync(target, "utf8")).toBe(render())
  })

  it("cover every event name, and the Schema-free list of names is the Schemas' (src/protocol/eventKinds.ts)", () => {
    expect(Object.keys(events)).toEqual([...eventNames])
    expect(Object.keys(eventSchemas)).toEqual([...eventNames])
  })

  for (const [name, schema] of Object.entries(eventSchemas) as ReadonlyArray<[string, Schema.Schema.Any]>) {
    it(`accept and reject the payloads of "${name}" as Schema does`, () => {
      const shape = events[name]
      expect(shape).toBeDefined()
      agree(schema, checker(shape!, defs), 25)
    })
  }

  const bodySchemas = {
    ErrorBody,
    BatchResponse,
    ModulesResponse,
    RefusalFrame,
    ExecutionCreated,
    ExecutionState,
    ExecutionList,
    SnapshotData,
    ResyncData
  } as const
  for (const [name, schema] of Object.entries(bodySchemas)) {
    it(`accept and reject ${name} bodies as Schema does`, () => {
      agree(schema, checker(bodies[name as keyof typeof bodySchemas], defs), 20)
    })
  }

  it("accept and reject CompileResponse bodies as Schema does (the examples' DAGs, broken at 300 places each)", () => {
    const responses = compileResponses()
    expect(responses.length).toBeGreaterThanOrEqual(5)
    expect(responses.some((r) => Object.keys(r.examples).length > 0)).toBe(true)
    agreeOn(CompileResponse, checker(bodies.CompileResponse, defs), responses, 300)
  })

  it("keep a record's __proto__ key as an own key, never as the prototype of what they return", () => {
    const check = checker(events["output"]!, defs)
    const payload: unknown = JSON.parse(
      "{\"executionId\":\"e\",\"seq\":0,\"timestamp\":1,\"name\":\"x\",\"isFinal\":true,\"fromFallback\":false,\"value\":{\"__proto__\":{\"polluted\":1}}}"
    )
    const checked = check(payload)
    if (Either.isLeft(checked)) throw new Error(formatIssue(checked.left))
    const value = (checked.right as { readonly value: object }).value
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(["__proto__"])
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ polluted: 1 })
  })

  it("keep a __proto__ output, error and status of a batch answer as safeRecord does", () => {
    const text = "{\"executionId\":\"e\",\"status\":\"partial\",\"durationMs\":3," +
      "\"outputs\":{\"__proto__\":{\"__proto__\":[1]},\"a\":1}," +
      "\"errors\":{\"__proto__\":{\"code\":\"c\",\"message\":\"m\",\"module\":null}}," +
      "\"outputStatus\":{\"__proto__\":\"failed\",\"a\":\"succeeded\"}}"
    const bySchema = Schema.decodeUnknownSync(BatchResponse)(JSON.parse(text))
    const byShape = checker(bodies.BatchResponse, defs)(JSON.parse(text))
    if (Either.isLeft(byShape)) throw new Error(formatIssue(byShape.left))
    const answer = byShape.right as typeof bySchema
    expect(answer).toEqual(bySchema)
    const inner = answer.outputs["__proto__"] as object
    for (const record of [answer.outputs, answer.errors, answer.outputStatus, inner]) {
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
      expect(Object.hasOwn(record, "__proto__")).toBe(true)
    }
    expect(Object.keys(answer.outputs)).toEqual(Object.keys(bySchema.outputs))
  })

  it("say where a value does not fit", () => {
    const check = checker(events["output"]!, defs)
    const issue = (u: unknown) => Either.match(check(u), { onLeft: formatIssue, onRight: () => "accepted" })
    const valid = { executionId: "e", seq: 0, timestamp: 1, name: "x", value: { a: [1, "b", null] }, isFinal: false, fromFallback: false }
    expect(issue(valid)).toBe("accepted")
    expect(issue({ ...valid, seq: 1.5 })).toBe("expected an integer at seq, got 1.5")
    expect(issue({ ...valid, value: { a: [undefined] } })).toMatch(/^expected .* at value\.a\[0\], got undefined$/)
    const { name: _, ...unnamed } = valid
    expect(issue(unnamed)).toBe("expected string at name, got undefined")
  })
})
