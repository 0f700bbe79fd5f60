/**
 * The language reaches nothing but the registered modules: pipeline text
 * that names files, the network, the process or JavaScript evaluation
 * does not compile, and text that looks like code stays text. Values
 * cannot touch prototypes (`__proto__` is an ordinary name). Every limit
 * holds against input built to exhaust it: source size, nesting, DAG size,
 * input depth, the size of a computed value (an exponential blow-up is cut
 * off at once), the deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { http, sse } from "./support/clients.js"
import { memory } from "./support/measure.js"
import { startServer } from "./support/server.js"
import type { ReliabilityServer } from "./support/server.js"

let server: ReliabilityServer
beforeAll(async () => {
  server = await startServer({ env: { MAX_VALUE_BYTES: String(1024 * 1024), MAX_DAG_NODES: "500" } })
})
afterAll(() => server.close())

const execute = async (source: string, inputs: unknown = {}, extra: Record<string, unknown> = {}) => {
  const r = await http(`${server.url}/execute`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ source, inputs, ...extra }),
    timeoutMs: 20_000
  })
  return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> }
}

const codesOf = (body: Record<string, unknown>) => (body["diagnostics"] as Array<{ code: string }>).map((d) => d.code)

describe("no way out of the registered modules", () => {
  const attempts = [
    "y = eval(\"process.exit(1)\")\nout y",
    "y = require(\"fs\")\nout y",
    "y = import(\"node:child_process\")\nout y",
    "y = ReadFile(\"/etc/passwd\")\nout y",
    "y = Fetch(\"http://169.254.169.254/latest/meta-data\")\nout y",
    "y = process.env\nout y",
    "y = globalThis.process\nout y",
    "y = constructor(\"return process\")\nout y",
    "y = __proto__(1)\nout y",
    "y = toString(1)\nout y",
    "y = hasOwnProperty(1)\nout y",
    "y = Function(\"return 1\")\nout y",
    "import fs\nout fs",
    "y = `whoami`\nout y"
  ]
  for (const source of attempts) {
    it(`does not compile: ${source.split("\n")[0]}`, async () => {
      const r = await execute(source)
      expect(r.status).toBe(400)
      expect(r.body["error"]).toBe("compile_error")
      expect(codesOf(r.body).length).toBeGreaterThan(0)
    })
  }

  it("text that looks like code, or a shell, stays text", async () => {
    const source = "in t: String\na = \"$(cat /etc/passwd)\"\nb = \"${t}\"\nc = Concat(t, \"; rm -rf /\")\nout a\nout b\nout c"
    const r = await execute(source, { t: "${process.exit(1)}" })
    expect(r.body["outputs"]).toEqual({ a: "$(cat /etc/passwd)", b: "${process.exit(1)}", c: "${process.exit(1)}; rm -rf /" })
    expect((await http(`${server.url}/health`)).status).toBe(200)
  })

  it("`__proto__` is an ordinary name for inputs, fields and outputs, and no prototype is touched", async () => {
    const source = "in __proto__: String\nr = {__proto__: {a: __proto__}, b: __proto__}\nout __proto__\nout r"
    const inputs = JSON.parse("{\"__proto__\": \"z\"}") as unknown
    const batch = await execute(source, inputs)
    expect(batch.body).toMatchObject({ status: "completed" })
    expect(JSON.stringify(batch.body["outputs"])).toBe("{\"__proto__\":\"z\",\"r\":{\"__proto__\":{\"a\":\"z\"},\"b\":\"z\"}}")
    const stream = await sse(`${server.url}/execute/stream`, JSON.stringify({ source, inputs }), { timeoutMs: 10_000 })
    expect(stream.events.map((e) => JSON.stringify([e.data["name"], e.data["value"]]))).toEqual([
      "[\"__proto__\",\"z\"]",
      "[\"r\",{\"__proto__\":{\"a\":\"z\"},\"b\":\"z\"}]"
    ])
    expect(({} as Record<string, unknown>)["a"]).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty("polluted")
  })
})

describe("limits hold against input built to exhaust them", () => {
  it("an exponential blow-up of text is cut off at the value limit, at once, without the memory", async () => {
    const doubling = ["in t: String", "a0 = t", ...Array.from({ length: 40 }, (_, i) => `a${i + 1} = a${i} + a${i}`), "out a40"].join("\n")
    const before = await memory()
    const started = performance.now()
    const r = await execute(doubling, { t: "x".repeat(100_000) })
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(r.body).toMatchObject({ status: "failed", errors: { a40: { code: "upstream_failed" } } })
    expect(JSON.stringify(r.body)).toContain("value_too_large")
    expect((await memory()).heapMiB - before.heapMiB).toBeLessThan(50)
  })

  it("so is one of shared lists (small in memory, exponential as JSON), and one made by modules", async () => {
    const lists = ["in t: String", "l0 = [t, t]", ...Array.from({ length: 60 }, (_, i) => `l${i + 1} = [l${i}, l${i}]`), "out l60"].join("\n")
    const concat = ["in t: String", "c0 = t", ...Array.from({ length: 40 }, (_, i) => `c${i + 1} = Concat(c${i}, c${i})`), "out c40"].join("\n")
    for (const source of [lists, concat]) {
      const started = performance.now()
      const r = await execute(source, { t: "x" })
      expect(performance.now() - started).toBeLessThan(5_000)
      expect(JSON.stringify(r.body)).toContain("value_too_large")
    }
  })

  it("a type that doubles at each step (records of records, or aliases) does not compile: E310, at once", async () => {
    const records = ["in t: String", "r0 = {a: t, b: t}", ...Array.from({ length: 60 }, (_, i) => `r${i + 1} = {a: r${i}, b: r${i}}`), "out r60"].join("\n")
    const aliases = ["type T0 = {a: String}", ...Array.from({ length: 60 }, (_, i) => `type T${i + 1} = {a: T${i}, b: T${i}}`), "in x: T60", "out x"].join("\n")
    const many = ["in t: String", "r0 = {a: t, b: t}", ...Array.from({ length: 9 }, (_, i) => `r${i + 1} = {a: r${i}, b: r${i}}`), ...Array.from({ length: 100 }, (_, i) => `x${i} = r9`), "out x0"].join("\n")
    for (const source of [records, aliases, many]) {
      const started = performance.now()
      const r = await execute(source, { t: "x" })
      expect(performance.now() - started).toBeLessThan(5_000)
      expect(r.status).toBe(400)
      expect(codesOf(r.body)).toContain("E310")
    }
  })

  it("source, nesting, DAG size, input depth and the deadline", async () => {
    expect((await execute(`out x\n${"#".repeat(200_000)}`)).body["error"]).toBe("source_too_large")
    expect(codesOf((await execute(`in x: Int\ny = ${"(".repeat(300)}x${")".repeat(300)}\nout y`)).body)).toContain("E107")
    const wide = ["in t: String", ...Array.from({ length: 300 }, (_, i) => `o${i} = Uppercase(t)`), ...Array.from({ length: 300 }, (_, i) => `out o${i}`)].join("\n")
    expect((await execute(wide, { t: "a" })).body).toMatchObject({ error: "dag_too_large", limit: 500 })
    const deep = JSON.parse(`${"[".repeat(100)}${"]".repeat(100)}`) as unknown
    expect((await execute("in x: List<List<Int>>\nout x", { x: deep })).body["error"]).toBe("invalid_inputs")
    const late = await execute("in t: String\nl = SlowApiCall(t)\nout l", { t: "x" }, { deadlineMs: 50 })
    expect(late.body).toMatchObject({ status: "failed", errors: { l: { code: "deadline_exceeded" } } })
  })
})
