/**
 * The per-request log (`LOG_REQUESTS`): off by default, one entry per
 * response when on, none either way when the server is `quiet`.
 */
import * as HttpServer from "@effect/platform/HttpServer"
import { ConfigProvider, Effect, Layer, Logger, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { configLayer, serverLayer } from "../../../src/http/server/server.js"

/** Starts the real server with `env`, asks `GET /health` twice, and returns what was logged. */
const logged = async (env: Record<string, string>, quiet?: boolean): Promise<Array<string>> => {
  const lines: Array<string> = []
  const capture = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => {
    lines.push((Array.isArray(message) ? message : [message]).map(String).join(" "))
  }))
  const settings = configLayer.pipe(Layer.provide(Layer.setConfigProvider(
    ConfigProvider.fromMap(new Map(Object.entries({ HOST: "127.0.0.1", PORT: "0", EXAMPLES_DIR: "examples", ...env })))
  )))
  const runtime = ManagedRuntime.make(serverLayer(quiet === undefined ? {} : { quiet }).pipe(Layer.provideMerge(settings), Layer.provide(capture)))
  try {
    const address = await runtime.runPromise(Effect.map(HttpServer.HttpServer, (server) => server.address))
    if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`http://127.0.0.1:${address.port}/health`, { signal: AbortSignal.timeout(10_000) })
      expect(response.status).toBe(200)
      await response.text()
    }
    // The entry is written once the response has gone out: give the server a turn.
    await new Promise((resolve) => setTimeout(resolve, 50))
    return lines
  } finally {
    await runtime.dispose()
  }
}

const responses = (lines: ReadonlyArray<string>) => lines.filter((l) => l.includes("Sent HTTP response"))

describe("LOG_REQUESTS", () => {
  it("is off by default: no entry per response, the listening line stays", async () => {
    const lines = await logged({})
    expect(responses(lines)).toEqual([])
    expect(lines.some((l) => l.startsWith("Listening on http://127.0.0.1:"))).toBe(true)
  })

  it("true: one entry per response", async () => {
    expect(responses(await logged({ LOG_REQUESTS: "true" }))).toHaveLength(2)
  })

  it("a quiet server logs no response even with it on", async () => {
    expect(await logged({ LOG_REQUESTS: "true" }, true)).toEqual([])
  })

  it("a value that is not a boolean fails the start with a Config error naming it", async () => {
    await expect(logged({ LOG_REQUESTS: "sometimes" })).rejects.toThrow(/LOG_REQUESTS/)
  })
})
