import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeValue, encodeValue } from "../../src/lang/codec.js"
import { TFloat, TInt, TList, TMap, TRecord, TString, TUnion, printType, unionTag } from "../../src/lang/types.js"
import type { Type } from "../../src/lang/types.js"

const decoded = (type: Type, input: unknown): unknown => {
  const r = decodeValue(type, input, "x")
  if (Either.isLeft(r)) throw new Error(r.left.map((i) => i.message).join("\n"))
  return r.right
}
const messages = (type: Type, input: unknown): ReadonlyArray<string> => {
  const r = decodeValue(type, input, "x")
  return Either.isLeft(r) ? r.left.map((i) => i.message) : []
}

const IntOrString = TUnion([TString, TInt])
const Result = TUnion([TRecord([["value", TInt]]), TRecord([["error", TString]])])

describe("union types", () => {
  it("flatten, deduplicate and sort their members, and print in the language's spelling", () => {
    expect(TUnion([TInt, TUnion([TString, TInt])])).toEqual(IntOrString)
    expect(TUnion([TInt, TInt])).toEqual(TInt)
    expect(printType(IntOrString)).toBe("Int | String")
    expect(printType(TList(IntOrString))).toBe("List<Int | String>")
    expect(printType(TMap(TString, TInt))).toBe("Map<String, Int>")
    expect(unionTag(TRecord([["b", TInt], ["a", TString]]))).toBe("{a: String, b: Int}")
  })
})

describe("decoding unions", () => {
  it("accepts a tagged value", () => {
    expect(decoded(IntOrString, { tag: "Int", value: 3 })).toEqual({ tag: "Int", value: 3 })
    expect(decoded(Result, { tag: "{error: String}", value: { error: "no" } })).toEqual({ tag: "{error: String}", value: { error: "no" } })
  })

  it("accepts an untagged value only one member fits", () => {
    expect(decoded(IntOrString, 3)).toEqual({ tag: "Int", value: 3 })
    expect(decoded(Result, { value: 1 })).toEqual({ tag: "{value: Int}", value: { value: 1 } })
  })

  it("reports an ambiguous value, an unknown tag and a value no member fits, with the path", () => {
    expect(messages(TUnion([TInt, TFloat]), 3)).toEqual([
      `input 'x': expected Float | Int, got 3; it is a value of Float and Int: say which with {"tag": ..., "value": ...}, the tag one of "Float", "Int"`
    ])
    expect(messages(IntOrString, { tag: "Bool", value: true })).toEqual([
      `input 'x': expected Int | String, got an object; "Bool" is not one of its tags: "Int", "String"`
    ])
    expect(messages(TRecord([["r", IntOrString]]), { r: true })).toEqual([
      `input 'x.r': expected Int | String, got true; a union value is {"tag": ..., "value": ...} with the tag one of "Int", "String"`
    ])
    expect(messages(IntOrString, { tag: "Int", value: "x" })).toEqual([`input 'x.value': expected Int, got "x"`])
  })

  it("encodes a value as {tag, value}, trimming the member's records", () => {
    expect(encodeValue(Result, { tag: "{value: Int}", value: { value: 1, extra: 2 } })).toEqual({ tag: "{value: Int}", value: { value: 1 } })
  })
})

describe("maps", () => {
  it("with String keys are objects, or lists of pairs", () => {
    expect(decoded(TMap(TString, TInt), { a: 1, b: 2 })).toEqual({ a: 1, b: 2 })
    expect(decoded(TMap(TString, TInt), [["a", 1]])).toEqual({ a: 1 })
  })

  it("with other keys are lists of [key, value] pairs", () => {
    expect(decoded(TMap(TInt, TString), [[1, "a"], [2, "b"]])).toEqual([[1, "a"], [2, "b"]])
  })

  it("report values of the wrong type, bad pairs and repeated keys where they are", () => {
    expect(messages(TMap(TString, TInt), { a: "x" })).toEqual([`input 'x.a': expected Int, got "x"`])
    expect(messages(TMap(TInt, TString), [[1, "a"], [1, "b"], [2]])).toEqual([
      "input 'x[1][0]': expected Int, got 1; this key appears more than once in the map",
      "input 'x[2]': expected a [key, value] pair, got a list"
    ])
    expect(messages(TMap(TInt, TString), { a: "x" })).toEqual([
      "input 'x': expected Map<Int, String>, got an object; a map with non-String keys is a list of [key, value] pairs"
    ])
  })
})
