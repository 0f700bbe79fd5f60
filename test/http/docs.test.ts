/**
 * Runs every curl example of docs/http-api.md against a real server and
 * checks the output shown under its `<!-- expect: ... -->` lines.
 */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer } from "./support/server.js"
import type { TestServer } from "./support/server.js"

const doc = readFileSync(new URL("../../docs/http-api.md", import.meta.url), "utf8")

interface Example {
  readonly expects: ReadonlyArray<string>
  readonly script: string
}

const examples: ReadonlyArray<Example> = [...doc.matchAll(/((?:<!-- expect: .+ -->\n)+)```sh\n([\s\S]*?)```/g)].map((m) => ({
  expects: [...(m[1] ?? "").matchAll(/<!-- expect: (.+) -->/g)].map((e) => e[1] ?? ""),
  script: m[2] ?? ""
}))

const run = (script: string): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile("bash", ["-c", script], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${error.message}\n${stderr}`))
      else resolve(stdout)
    })
  })

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("docs/http-api.md", () => {
  it("has curl examples to run", () => {
    expect(examples.length).toBeGreaterThanOrEqual(12)
  })

  for (const [i, example] of examples.entries()) {
    it.concurrent(`example ${i + 1}: ${example.expects.join(" & ")}`, async () => {
      const output = await run(example.script.replaceAll("http://127.0.0.1:8080", server.url))
      for (const expected of example.expects) expect(output).toContain(expected)
    })
  }
})

describe("GET /docs on the real server", () => {
  it("serves the Swagger UI, loaded on the first request and kept for the next ones", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${server.url}/docs`)
      expect(r.status).toBe(200)
      expect(await r.text()).toContain("SwaggerUIBundle")
    }
  })
})
