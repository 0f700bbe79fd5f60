/**
 * The extension's "Run pipeline" logic against a real server (the
 * project's streaming client over HTTP): inputs asked for with their
 * `@example`, each output reported as it arrives with module timings,
 * compile errors listed, and cancelling interrupting the execution on the
 * server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createClient } from "../../../src/client/index.js"
import { collectInputs, runPipeline } from "../../../editors/vscode/src/runPipeline.mjs"
import type { AskInput } from "../../../editors/vscode/src/runPipeline.mjs"
import { initialText, parseInput } from "../../../editors/vscode/src/inputValues.mjs"
import { startServer } from "../../http/support/server.js"
import type { TestServer } from "../../http/support/server.js"

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const pipeline = [
  "@example(\"hello world\")",
  "in text: String",
  "@example(2)",
  "in times: Int",
  "upper = Uppercase(text)",
  "slow = Delay(upper, 300)",
  "n = TextLength(text) + times",
  "out upper",
  "out n",
  "out slow",
  ""
].join("\n")

/** Accepts each box's initial text, recording what was asked. */
const acceptExamples = (asked: Array<string>): AskInput => (name, type, initial, validate) => {
  asked.push(`${name}: ${type} = ${initial}`)
  expect(validate(initial)).toBeUndefined()
  return Promise.resolve(initial)
}

describe("input values", () => {
  it("takes a String as typed and other types as JSON, with a hint when it is not", () => {
    expect(parseInput("String", "a \"b\"")).toEqual({ ok: true, value: "a \"b\"" })
    expect(parseInput("List<Int>", "[1, 2]")).toEqual({ ok: true, value: [1, 2] })
    expect(parseInput("Int", "forty")).toEqual({ ok: false, message: "Give a Int as JSON, for example 42." })
    expect(initialText("String", "hi")).toBe("hi")
    expect(initialText("{name: String}", { name: "Ada" })).toBe("{\"name\":\"Ada\"}")
    expect(initialText("Int", undefined)).toBe("")
  })

  it("stops asking when an input is not given", async () => {
    const asked: Array<string> = []
    const values = await collectInputs({ a: "String", b: "Int" }, {}, (name) => {
      asked.push(name)
      return Promise.resolve(undefined)
    })
    expect(values).toBeUndefined()
    expect(asked).toEqual(["a"])
  })
})

describe("runPipeline", () => {
  it("asks for the inputs pre-filled from @example and reports each output as it arrives, with module timings", async () => {
    const asked: Array<string> = []
    const lines: Array<string> = []
    const progress: Array<string> = []
    const outcome = await runPipeline({
      source: pipeline,
      client: createClient({ baseUrl: server.url }),
      ask: acceptExamples(asked),
      view: { line: (l) => lines.push(l), progress: (c, t) => progress.push(`${c}/${t}`) },
      signal: new AbortController().signal
    })
    expect(asked).toEqual(["text: String = hello world", "times: Int = 2"])
    expect(outcome).toMatchObject({ _tag: "Completed", outputs: 3, failed: 0 })
    const outputs = lines.filter((l) => l.includes(" ✓ "))
    expect(outputs.map((l) => l.replace(/^\[\s*\d+ ms\] /, ""))).toEqual(["✓ upper = \"HELLO WORLD\"", "✓ n = 13", "✓ slow = \"HELLO WORLD\""])
    // The slow output comes ~300 ms after the others: each line carries the time it arrived.
    const at = (l: string) => Number(/\[\s*(\d+) ms\]/.exec(l)?.[1])
    expect(at(outputs[2]!) - at(outputs[0]!)).toBeGreaterThanOrEqual(250)
    expect(lines.some((l) => /■ Delay completed in \d+\.\d ms/.test(l))).toBe(true)
    expect(progress.length).toBeGreaterThan(0)
    expect(lines[lines.length - 1]).toMatch(/^Done in \d+ ms: 3 outputs\.$/)
  })

  it("lists the compile errors of a pipeline that does not compile", async () => {
    const lines: Array<string> = []
    const outcome = await runPipeline({
      source: "in t: String\nu = Upercase(t)\nout u\n",
      client: createClient({ baseUrl: server.url }),
      ask: () => Promise.reject(new Error("no input is asked for")),
      view: { line: (l) => lines.push(l), progress: () => {} },
      signal: new AbortController().signal
    })
    expect(outcome).toEqual({ _tag: "Invalid", diagnostics: 1 })
    expect(lines).toEqual(["The pipeline does not compile (1 problem):", "  2:5 E400 Unknown module `Upercase`: no module of that name is registered."])
  })

  it("says so when the server cannot be reached", async () => {
    const lines: Array<string> = []
    const outcome = await runPipeline({
      source: pipeline,
      client: createClient({ baseUrl: "http://127.0.0.1:9" }),
      ask: () => Promise.resolve(undefined),
      view: { line: (l) => lines.push(l), progress: () => {} },
      signal: new AbortController().signal
    })
    expect(outcome._tag).toBe("Failed")
    expect(lines[0]).toMatch(/^Cannot reach the server/)
  })

  it("cancels: the stream closes at once and the execution is interrupted on the server", async () => {
    const controller = new AbortController()
    const lines: Array<string> = []
    const client = createClient({ baseUrl: server.url })
    const started = performance.now()
    const outcome = await runPipeline({
      source: "in t: String\nfirst = Uppercase(t)\nlater = Delay(first, 20000)\nout first\nout later\n",
      client,
      ask: () => Promise.resolve("go"),
      view: {
        line: (l) => {
          lines.push(l)
          if (l.includes("✓ first")) controller.abort()
        },
        progress: () => {}
      },
      signal: controller.signal
    })
    expect(outcome).toEqual({ _tag: "Cancelled" })
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(lines[lines.length - 1]).toMatch(/^Cancelled after \d+ ms/)
    // The server no longer runs it: the newest execution has ended without `later`.
    const deadline = performance.now() + 5_000
    let status = "running"
    while (status === "running" && performance.now() < deadline) {
      const list = await client.list({ limit: 1 })
      status = list.executions[0]?.status ?? "none"
      if (status === "running") await new Promise((r) => setTimeout(r, 50))
    }
    expect(status).not.toBe("running")
  })
})
