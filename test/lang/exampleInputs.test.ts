import { describe, expect, it } from "vitest"
import { exampleInputs } from "../../src/lang/exampleInputs.js"
import { example } from "../http/support/pipelines.js"

describe("exampleInputs", () => {
  it("reads the literal @example of each input", () => {
    const source = [
      "@example(\"hello\")", "in text: String",
      "@example(-3)", "in n: Int",
      "@example(2.5)", "in f: Float",
      "@example(true)", "in b: Boolean",
      "@example([1, 2, 3])", "in xs: List<Int>",
      "@example({name: \"Ada\", tags: [\"x\"]})", "in user: {name: String, tags: List<String>}",
      "in plain: String",
      "out text"
    ].join("\n")
    expect(Object.fromEntries(exampleInputs(source))).toEqual({
      text: "hello",
      n: -3,
      f: 2.5,
      b: true,
      xs: [1, 2, 3],
      user: { name: "Ada", tags: ["x"] }
    })
  })

  it("leaves out examples that are not literals", () => {
    expect(exampleInputs("@example(\"a${x}\")\nin s: String\n@example(1 + 2)\nin n: Int\nout s\n").size).toBe(0)
  })

  it("reads the examples of the shipped pipelines", () => {
    expect(Object.fromEntries(exampleInputs(example("fan-out")))).toEqual({ query: "constellation" })
    expect(Object.fromEntries(exampleInputs(example("data-stats")))).toEqual({ count: 10 })
  })
})
