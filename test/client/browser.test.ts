/**
 * "Works unchanged in a browser": the client bundles for the browser
 * platform (no Node built-in anywhere in its import graph), and the bundle
 * runs in a bare JavaScript context holding only the web globals a browser
 * has (`fetch`, streams, `TextDecoder`, `AbortController` ...), with no
 * `process`, `Buffer` or `require`, against the real server.
 */
import { createRequire } from "node:module"
import { runInNewContext } from "node:vm"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fanOut } from "../http/support/pipelines.js"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"

interface BuildResult {
  readonly outputFiles: ReadonlyArray<{ readonly text: string }>
  readonly metafile: { readonly inputs: Readonly<Record<string, unknown>> }
}
interface Esbuild {
  readonly build: (options: Readonly<Record<string, unknown>>) => Promise<BuildResult>
}

/** esbuild, the transpiler tsx itself depends on. */
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild") as Esbuild

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("the client in a browser", () => {
  it("bundles for the browser and streams from the server with only web globals", async () => {
    const result = await esbuild.build({
      entryPoints: [new URL("../../src/client/index.ts", import.meta.url).pathname],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "ConstellationClient",
      write: false,
      metafile: true,
      logLevel: "silent"
    })
    const packages = new Set(Object.keys(result.metafile.inputs).map((path) =>
      path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? path.split("/").slice(0, 2).join("/")))
    expect([...packages].filter((p) => p.startsWith("node:"))).toEqual([])
    expect([...packages].filter((p) => !p.startsWith("src/")).sort()).toEqual(["@effect/platform", "effect", "eventsource-parser"])

    const web = {
      fetch, Headers, Request, Response, ReadableStream, TextDecoder, TextEncoder, AbortController, AbortSignal,
      URL, DOMException, Event, EventTarget, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask,
      structuredClone, console, crypto, performance
    }
    const context: Record<string, unknown> = { ...web, outcome: undefined }
    context["globalThis"] = context
    const script = `${result.outputFiles[0]!.text}
      outcome = (async () => {
        const client = ConstellationClient.createClient({ baseUrl: ${JSON.stringify(server.url)} })
        const names = []
        for await (const e of client.stream({ source: ${JSON.stringify(fanOut())}, inputs: { query: "web" } })) names.push(e.event + ":" + e.data.name)
        return { names, hasProcess: typeof process !== "undefined", hasRequire: typeof require !== "undefined" }
      })()`
    runInNewContext(script, context)
    expect(await context["outcome"]).toEqual({
      names: ["output:quick", "output:medium", "complete:slow"],
      hasProcess: false,
      hasRequire: false
    })
  })
})
