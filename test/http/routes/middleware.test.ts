/**
 * The edge of the service: an unexpected failure is a JSON 500 without
 * details, and no user input, however odd, produces one.
 */
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Effect, Layer } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { edge, methodTable } from "../../../src/http/routes/middleware.js"
import { InvalidRequest } from "../../../src/http/HttpError.js"
import { hello } from "../support/pipelines.js"
import { makeApp } from "../support/server.js"
import type { TestApp } from "../support/server.js"
import { post } from "../support/sse.js"

describe("unexpected failures", () => {
  const routes = Layer.scopedDiscard(Effect.gen(function*() {
    const router = yield* HttpLayerRouter.HttpRouter
    yield* router.add("GET", "/boom", Effect.die(new Error("secret internals")))
    yield* router.add("GET", "/typed", Effect.fail(new InvalidRequest({ message: "typed", issues: [] })))
    yield* router.addGlobalMiddleware(edge(methodTable([{ method: "GET", path: "/boom" }, { method: "GET", path: "/typed" }])))
  }))
  const { dispose, handler } = HttpLayerRouter.toWebHandler(routes, { disableLogger: true })
  afterAll(() => dispose())

  it("a defect is a JSON 500 internal_error that reveals nothing", async () => {
    const r = await handler(new Request("http://app.test/boom", { headers: { "x-request-id": "r-1" } }))
    expect(r.status).toBe(500)
    expect(r.headers.get("x-request-id")).toBe("r-1")
    const text = await r.text()
    expect(JSON.parse(text)).toEqual({ error: "internal_error", message: expect.any(String), requestId: "r-1" })
    expect(text).not.toContain("secret")
  })

  it("a typed HTTP error a handler left unhandled still gets its own status", async () => {
    const r = await handler(new Request("http://app.test/typed"))
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: "invalid_request", message: "typed" })
  })
})

describe("user input never produces a 5xx", () => {
  let app: TestApp
  beforeAll(() => {
    app = makeApp()
  })
  afterAll(() => app.dispose())

  const statusOf = async (path: string, body: string): Promise<number> => {
    const r = await app.fetch(path, post(body))
    await r.body?.cancel()
    return r.status
  }

  const bodies = fc.oneof(
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ source: fc.oneof(fc.string(), fc.constant(hello)), inputs: fc.jsonValue() }, { requiredKeys: [] }).map((v) =>
      JSON.stringify(v)
    ),
    fc.record({ ref: fc.string(), inputs: fc.jsonValue(), progress: fc.jsonValue(), deadlineMs: fc.jsonValue() }).map((v) =>
      JSON.stringify(v)
    )
  )

  it("absurdly nested JSON is a 400", async () => {
    const list = `${"[".repeat(100_000)}${"]".repeat(100_000)}`
    const record = `${"{\"a\":".repeat(50_000)}1${"}".repeat(50_000)}`
    const cases = [list, `{"source": ${list}}`, `{"source": "out x", "progress": ${record}}`, `{"ref": ${record}}`]
    for (const path of ["/execute", "/execute/stream", "/compile"]) {
      for (const body of cases) expect(await statusOf(path, body)).toBe(400)
    }
  })

  for (const path of ["/execute", "/execute/stream", "/compile"]) {
    it(`POST ${path}`, async () => {
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const status = await statusOf(path, body)
          expect(status === 200 || (status >= 400 && status < 500)).toBe(true)
        }),
        { numRuns: 40 }
      )
    })
  }
})
