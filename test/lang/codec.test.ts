import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { decodeInputs, decodeValue, encodeValue, InputError, MAX_ISSUES } from "../../src/lang/codec.js"
import type { ValueIssue } from "../../src/lang/codec.js"
import type { Binding } from "../../src/lang/dag.js"
import { canonicalJson } from "../../src/lang/hash.js"
import { TBoolean, TFloat, TInt, TList, TMap, TOptional, TRecord, TString, TUnion, TUnknown, TVar, unionTag } from "../../src/lang/types.js"
import type { Type } from "../../src/lang/types.js"
import type { Value } from "../../src/lang/value.js"

const issuesOf = (type: Type, input: unknown, path = "x"): ReadonlyArray<ValueIssue> => {
  const r = decodeValue(type, input, path)
  if (Either.isRight(r)) throw new Error(`expected issues, decoded ${JSON.stringify(r.right)}`)
  return r.left
}
const messagesOf = (type: Type, input: unknown, path = "x") => issuesOf(type, input, path).map((i) => i.message)
const decoded = (type: Type, input: unknown): Value => {
  const r = decodeValue(type, input, "x")
  if (Either.isLeft(r)) throw new Error(r.left.map((i) => i.message).join("\n"))
  return r.right
}

const User = TRecord([["name", TString], ["age", TInt]])
const INT_RANGE = "an Int is a whole number from -9007199254740991 to 9007199254740991"

// ----------------------------------------------------------- round trips

const fieldName = fc.oneof(fc.constantFrom("a", "b", "name", "__proto__", "constructor", "first name", ""), fc.string({ maxLength: 6 }))

const typeArb = (depth: number): fc.Arbitrary<Type> => {
  const leaf = fc.constantFrom(TString, TInt, TFloat, TBoolean, TUnknown, TVar("T"))
  if (depth === 0) return leaf
  const inner = typeArb(depth - 1)
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: inner.map(TList) },
    { weight: 1, arbitrary: inner.map(TOptional) },
    {
      weight: 1,
      arbitrary: fc.uniqueArray(fc.tuple(fieldName, inner), { selector: ([k]) => k, maxLength: 4 }).map(TRecord)
    },
    { weight: 1, arbitrary: fc.array(inner, { minLength: 2, maxLength: 3 }).map(TUnion) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(TString, TInt, TBoolean), inner).map(([k, v]) => TMap(k, v)) }
  )
}

/** -0 is not JSON (it prints as 0), so generated numbers avoid it. */
const noNegativeZero = (n: number) => (Object.is(n, -0) ? 0 : n)
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as Value)

const valueArb = (t: Type): fc.Arbitrary<Value> => {
  switch (t._tag) {
    case "String":
      return fc.string()
    case "Int":
      return fc.maxSafeInteger().map(noNegativeZero)
    case "Float":
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegativeZero)
    case "Boolean":
      return fc.boolean()
    case "List":
      return fc.array(valueArb(t.element), { maxLength: 4 })
    case "Optional":
      return fc.option(valueArb(t.inner), { nil: null })
    case "Record":
      return fc.tuple(...t.fields.map(([, ft]) => valueArb(ft))).map((vs) =>
        Object.fromEntries(t.fields.map(([k], i) => [k, vs[i] ?? null]))
      )
    case "Union":
      return fc.constantFrom(...t.members).chain((m) => valueArb(m).map((value) => ({ tag: unionTag(m), value })))
    case "Map":
      if (t.key._tag === "String") {
        return fc.uniqueArray(fc.tuple(fieldName, valueArb(t.value)), { selector: ([k]) => k, maxLength: 3 }).map((es) => Object.fromEntries(es))
      }
      return fc.uniqueArray(fc.tuple(valueArb(t.key), valueArb(t.value)), { selector: ([k]) => canonicalJson(k), maxLength: 3 })
    case "Unknown":
    case "Var":
      return json
  }
}

const typed = typeArb(3).chain((type) => valueArb(type).map((value) => ({ type, value })))

describe("round trips", () => {
  it("decode(encode(v)) equals v for random types and values", () => {
    fc.assert(
      fc.property(typed, ({ type, value }) => {
        expect(decodeValue(type, encodeValue(type, value), "x")).toEqual(Either.right(value))
      }),
      { numRuns: 500 }
    )
  })

  it("survives JSON text in between", () => {
    fc.assert(
      fc.property(typed, ({ type, value }) => {
        const text = JSON.stringify(encodeValue(type, value))
        expect(decodeValue(type, JSON.parse(text), "x")).toEqual(Either.right(value))
      }),
      { numRuns: 500 }
    )
  })

  it("decodes a value already in shape without copying it", () => {
    const user = { name: "ada", age: 36 }
    const list = [user, { name: "bob", age: 7 }]
    expect(decoded(TList(User), list)).toBe(list)
  })

  it("encodes without copying when nothing changes", () => {
    const list = ["a", "b"]
    expect(encodeValue(TList(TString), list)).toBe(list)
    const user = { name: "ada", age: 36 }
    expect(encodeValue(User, user)).toBe(user)
  })

  it("encodes only the declared fields of a record, in declaration order, missing optionals as null", () => {
    const wide = { age: 36, name: "ada", secret: "x" }
    expect(JSON.stringify(encodeValue(User, wide))).toBe(`{"name":"ada","age":36}`)
    const type = TList(TRecord([["id", TInt], ["nick", TOptional(TString)]]))
    expect(encodeValue(type, [{ id: 1, extra: true }])).toEqual([{ id: 1, nick: null }])
  })
})

// -------------------------------------------------------------- decoding

describe("decodeValue", () => {
  it("accepts each primitive type", () => {
    expect(decoded(TString, "hi")).toBe("hi")
    expect(decoded(TInt, -42)).toBe(-42)
    expect(decoded(TInt, 9007199254740991)).toBe(9007199254740991)
    expect(decoded(TFloat, 1.5)).toBe(1.5)
    expect(decoded(TFloat, 3)).toBe(3)
    expect(decoded(TBoolean, false)).toBe(false)
  })

  it("reports a wrong type with its path", () => {
    expect(messagesOf(User, { name: "ada", age: "x" }, "user")).toEqual([`input 'user.age': expected Int, got "x"`])
    const [issue] = issuesOf(User, { name: "ada", age: "x" }, "user")
    expect(issue).toEqual({ path: "user.age", expected: "Int", got: `"x"`, message: `input 'user.age': expected Int, got "x"` })
  })

  it("describes what it got", () => {
    expect(issuesOf(TString, 1.5).map((i) => i.got)).toEqual(["1.5"])
    expect(issuesOf(TString, null).map((i) => i.got)).toEqual(["null"])
    expect(issuesOf(TString, {}).map((i) => i.got)).toEqual(["an object"])
    expect(issuesOf(TString, [1]).map((i) => i.got)).toEqual(["a list"])
    expect(issuesOf(TString, true).map((i) => i.got)).toEqual(["true"])
    expect(issuesOf(TString, new Date(0)).map((i) => i.got)).toEqual(["a Date"])
    expect(issuesOf(TInt, "a".repeat(100))[0]?.got).toBe(`"${"a".repeat(40)}..." (100 characters)`)
  })

  it("rejects a fraction and an out-of-range number as Int, saying the range", () => {
    expect(messagesOf(TInt, 1.5, "n")).toEqual([`input 'n': expected Int, got 1.5; ${INT_RANGE}`])
    expect(messagesOf(TInt, 2 ** 53, "n")).toEqual([`input 'n': expected Int, got 9007199254740992; ${INT_RANGE}`])
    expect(messagesOf(TInt, -1e300, "n")).toEqual([`input 'n': expected Int, got -1e+300; ${INT_RANGE}`])
    expect(messagesOf(TInt, "1", "n")).toEqual([`input 'n': expected Int, got "1"`])
  })

  it("rejects NaN and infinities as Float", () => {
    expect(messagesOf(TFloat, Number.NaN, "f")).toEqual(["input 'f': expected Float, got NaN"])
    expect(messagesOf(TFloat, Infinity, "f")).toEqual(["input 'f': expected Float, got Infinity"])
    expect(messagesOf(TInt, -Infinity, "f")).toEqual(["input 'f': expected Int, got -Infinity"])
  })

  it("paths list elements by index", () => {
    expect(messagesOf(TList(TInt), [1, 2, "three"], "xs")).toEqual([`input 'xs[2]': expected Int, got "three"`])
    expect(messagesOf(TList(TInt), "nope", "xs")).toEqual([`input 'xs': expected List<Int>, got "nope"`])
    expect(messagesOf(TList(User), [{ name: "a", age: 1 }, { name: 2, age: 1 }], "users")).toEqual([
      "input 'users[1].name': expected String, got 2"
    ])
  })

  it("requires every record field and names the missing one", () => {
    expect(messagesOf(User, { age: 3 }, "user")).toEqual(["input 'user.name': missing (expected String)"])
    expect(messagesOf(User, [], "user")).toEqual(["input 'user': expected {name: String, age: Int}, got a list"])
    expect(messagesOf(TRecord([["first name", TString]]), {}, "p")).toEqual([`input 'p["first name"]': missing (expected String)`])
  })

  it("drops extra fields and decodes a missing Optional field as null", () => {
    const type = TRecord([["name", TString], ["nick", TOptional(TString)]])
    expect(decoded(type, { name: "ada", extra: 1 })).toStrictEqual({ name: "ada", nick: null })
  })

  it("reads only own fields, so inherited names are missing", () => {
    const type = TRecord([["constructor", TString], ["__proto__", TOptional(TInt)]])
    expect(messagesOf(type, {}, "r")).toEqual(["input 'r.constructor': missing (expected String)"])
    const v = decoded(type, JSON.parse(`{"constructor": "c", "__proto__": 5}`))
    expect(Object.getOwnPropertyNames(v)).toEqual(["constructor", "__proto__"])
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
  })

  it("accepts null for Optional and checks what is there", () => {
    expect(decoded(TOptional(TInt), null)).toBe(null)
    expect(decoded(TOptional(TInt), 4)).toBe(4)
    expect(messagesOf(TOptional(TInt), "4", "o")).toEqual([`input 'o': expected Int, got "4"`])
    expect(messagesOf(TInt, null, "i")).toEqual(["input 'i': expected Int, got null"])
  })

  it("accepts any JSON for Unknown and type variables, and nothing else", () => {
    const v = { a: [1, "b", null, { c: true }] }
    expect(decoded(TUnknown, v)).toBe(v)
    expect(decoded(TVar("T"), 3)).toBe(3)
    const bad = { f: () => 1, s: Symbol("s"), b: 1n, n: Number.NaN, u: undefined, d: new Date(0) }
    expect(issuesOf(TUnknown, bad, "v").map((i) => `${i.path} ${i.got}`)).toEqual([
      "v.f a function",
      "v.s a symbol",
      "v.b a bigint",
      "v.n NaN",
      "v.u undefined",
      "v.d a Date"
    ])
    expect(messagesOf(TVar("T"), Infinity, "v")[0]).toBe(
      "input 'v': expected T, got Infinity; only JSON values are accepted here (strings, finite numbers, booleans, null, lists and objects)"
    )
  })

  it("collects every issue, up to the bound", () => {
    expect(messagesOf(User, { name: 1, age: "2" }, "u")).toEqual([
      "input 'u.name': expected String, got 1",
      `input 'u.age': expected Int, got "2"`
    ])
    expect(issuesOf(TList(TInt), Array.from({ length: 1000 }, () => "no"))).toHaveLength(MAX_ISSUES)
    expect(issuesOf(TUnknown, Array.from({ length: 1000 }, () => Number.NaN))).toHaveLength(MAX_ISSUES)
  })
})

// ------------------------------------------------------ adversarial input

const nested = (levels: number): unknown => {
  let v: unknown = 0
  for (let i = 0; i < levels; i++) v = [v]
  return v
}

describe("adversarial input", () => {
  it("rejects nesting deeper than 64 levels without following it", () => {
    expect(decoded(TUnknown, nested(63))).toEqual(nested(63))
    expect(issuesOf(TUnknown, nested(100_000))[0]?.got).toBe("a value nested deeper than 64 levels")
  })

  it("survives cycles", () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic["self"] = cyclic
    expect(issuesOf(TUnknown, cyclic)[0]?.got).toBe("a value nested deeper than 64 levels")
    const list: Array<unknown> = []
    list.push(list)
    expect(issuesOf(TList(TUnknown), list)).toHaveLength(1)
  })

  it("turns throwing getters and proxies into issues", () => {
    const getter = Object.defineProperty({}, "name", { enumerable: true, get: () => { throw new Error("boom") } })
    expect(messagesOf(User, getter, "u")).toEqual(["input 'u': expected {name: String, age: Int}, got a value that could not be read"])
    const proxy = new Proxy({}, { getPrototypeOf: () => { throw new Error("boom") } })
    expect(issuesOf(TUnknown, proxy)).toHaveLength(1)
    expect(Either.isLeft(decodeInputs([], proxy))).toBe(true)
  })

  it("never throws, whatever the type and input", () => {
    fc.assert(
      fc.property(typeArb(3), fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }), (type, input) => {
        const r = decodeValue(type, input, "x")
        if (Either.isLeft(r)) {
          expect(r.left.length).toBeGreaterThan(0)
          expect(r.left.length).toBeLessThanOrEqual(MAX_ISSUES)
        }
      }),
      { numRuns: 1000 }
    )
  })
})

// ---------------------------------------------------------------- inputs

const binding = (name: string, type: Type, data = 0): Binding => ({ name, type, data })
const errorOf = (bindings: ReadonlyArray<Binding>, inputs: unknown): InputError => {
  const r = decodeInputs(bindings, inputs)
  if (Either.isRight(r)) throw new Error("expected an InputError")
  return r.left
}

describe("decodeInputs", () => {
  const bindings = [binding("text", TString), binding("count", TInt, 1)]

  it("decodes every declared input", () => {
    expect(decodeInputs(bindings, { text: "hi", count: 2 })).toEqual(Either.right({ text: "hi", count: 2 }))
  })

  it("requires every input unless it is Optional", () => {
    expect(errorOf(bindings, { text: "hi" }).issues.map((i) => i.message)).toEqual(["input 'count': missing (expected Int)"])
    const optional = [binding("text", TString), binding("limit", TOptional(TInt), 1)]
    expect(decodeInputs(optional, { text: "hi" })).toEqual(Either.right({ text: "hi", limit: null }))
  })

  it("reports a name the pipeline does not declare", () => {
    const error = errorOf([binding("text", TString)], { tetx: "hi" })
    expect(error.issues.map((i) => i.message)).toEqual([
      "input 'tetx' is not an input of this pipeline; its inputs are: text",
      "input 'text': missing (expected String)"
    ])
    expect(errorOf([], { a: 1 }).issues[0]?.message).toBe("input 'a' is not an input of this pipeline; it has no inputs")
  })

  it("requires a JSON object", () => {
    expect(errorOf(bindings, [1]).issues.map((i) => i.message)).toEqual([
      "inputs: expected a JSON object {text: String, count: Int}, got a list"
    ])
    expect(errorOf(bindings, null).issues[0]?.got).toBe("null")
  })

  it("is a tagged error whose message joins the first issues", () => {
    const error = errorOf(bindings, { text: 1, count: "x", a: 1, b: 2 })
    expect(error._tag).toBe("InputError")
    expect(error).toBeInstanceOf(InputError)
    expect(error.issues).toHaveLength(4)
    expect(error.message).toBe(
      "input 'a' is not an input of this pipeline; its inputs are: text, count; " +
        "input 'b' is not an input of this pipeline; its inputs are: text, count; " +
        "input 'text': expected String, got 1 (and 1 more)"
    )
  })

  it("bounds the issues across all inputs", () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`extra${i}`, i]))
    expect(errorOf(bindings, many).issues).toHaveLength(MAX_ISSUES)
  })
})
