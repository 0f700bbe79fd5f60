/**
 * Random programs with `use` declarations and qualified calls, compiled
 * against the standard library (which has namespaces): the compiler never
 * throws, every diagnostic lies inside the source with its line and column,
 * and a program that compiles has a valid DAG.
 */
import fc from "fast-check"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { compile } from "../../src/lang/compileSource.js"
import { DagSpec } from "../../src/lang/dag.js"
import { makeRegistry } from "../../src/modules/ModuleRegistry.js"
import { makeStdlib } from "../../src/modules/stdlib/index.js"

const registry = makeRegistry(makeStdlib())

const pieces = [
  "use ", "use stdlib.math", "use stdlib.string as s", "use stdlib", " as ", "stdlib", ".", "math", "string", "collection",
  "add", "trim", "list-first", "to-string", "s.", "m.", "stdlib.math.add", "stdlib.bool.and", "and(", "or(", "filter(",
  "in ", "out ", " = ", "x", "y", "m", "s", "Uppercase", "FormatNumber", "(", ")", "[", "]", ",", ":", "+", "1", "2.5",
  "\"t\"", "true", "Int", "String", "List<", ">", " with ", "retry: 1", "\n", " "
]

const checked = (source: string): void => {
  const result = compile(source, registry)
  if (Either.isRight(result)) {
    expect(Schema.is(DagSpec)(result.right.dag)).toBe(true)
    return
  }
  const lines = source.split("\n")
  for (const d of result.left.diagnostics) {
    expect(d.span.start.offset, d.message).toBeGreaterThanOrEqual(0)
    expect(d.span.end.offset, d.message).toBeLessThanOrEqual(source.length)
    expect(d.span.start.offset, d.message).toBeLessThanOrEqual(d.span.end.offset)
    expect([d.line, d.column], d.message).toEqual([d.span.start.line, d.span.start.column])
    expect(d.line, d.message).toBeLessThanOrEqual(Math.max(lines.length, 1))
  }
}

describe("namespaces never crash the compiler", () => {
  it("on random sequences of language and namespace tokens", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => checked(parts.join(""))), { numRuns: 2000 })
  })

  it("on random well-formed imports and calls", () => {
    const namespace = fc.constantFrom("stdlib", "stdlib.math", "stdlib.string", "stdlib.list", "stdlib.maths", "acme", "stdlib.math.add")
    const use = fc.tuple(namespace, fc.option(fc.constantFrom("m", "s", "x", "stdlib", "math"))).map(([ns, alias]) =>
      `use ${ns}${alias === null ? "" : ` as ${alias}`}`)
    const callee = fc.constantFrom("add", "m.add", "math.add", "s.trim", "stdlib.math.add", "x.add", "stdlib.string.trim", "trim", "nope", "m.nope", "map")
    const call = fc.tuple(callee, fc.constantFrom("1, 2", "x", "\"a\"", "", "1")).map(([c, args]) => `y = ${c}(${args})`)
    const program = fc.tuple(fc.array(use, { maxLength: 4 }), fc.array(call, { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([uses, calls, input]) => [...uses, ...(input ? ["in x: Int"] : []), ...calls, "out y"].join("\n"))
    fc.assert(fc.property(program, checked), { numRuns: 1000 })
  })
})
