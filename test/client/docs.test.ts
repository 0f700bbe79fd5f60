/**
 * Every example of docs/clients.md, run against a real server on
 * 127.0.0.1 (the one sending an API key against a server with API_KEYS
 * set): the TypeScript ones in this process, Python and curl as child
 * processes. An example that cannot run here is skipped with the reason.
 */
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"
import { fakeDocument } from "./fakeDocument.js"

const DOC_URL = "http://127.0.0.1:8080"
const CLIENT_ENTRY = fileURLToPath(new URL("../../src/client/index.ts", import.meta.url))
const doc = readFileSync(new URL("../../docs/clients.md", import.meta.url), "utf8")

/** The examples: the code block under each `<!-- example: name -->`, and the `text` block after it, if any. */
const examples = new Map(
  [...doc.matchAll(/<!-- example: (\S+) -->\n```(\w+)\n([\s\S]*?)\n```(?:\n\n```text\n([\s\S]*?)\n```)?/g)].map(
    (m) => [m[1]!, { lang: m[2]!, code: m[3]!, output: m[4] }] as const
  )
)
const example = (name: string) => {
  const found = examples.get(name)
  if (found === undefined) throw new Error(`docs/clients.md has no example ${name}`)
  return found
}

/** Whether a command runs here; the reason when it does not. */
const unavailable = (command: string, args: ReadonlyArray<string>): string | undefined => {
  try {
    execFileSync(command, args, { stdio: "pipe" })
    return undefined
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split("\n").at(-1)
    return stderr || (error instanceof Error ? error.message : String(error))
  }
}

interface Line {
  readonly text: string
  readonly at: number
}

/** Runs a process to its end, recording each stdout line with the time it arrived. */
const run = (command: string, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; lines: Array<Line>; stderr: string }>((resolve) => {
    const started = performance.now()
    const child = spawn(command, args, { env: { ...process.env, PYTHONUNBUFFERED: "1" } })
    const lines: Array<Line> = []
    let pending = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const parts = (pending + chunk).split("\n")
      pending = parts.pop() ?? ""
      for (const text of parts) lines.push({ text, at: performance.now() - started })
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("close", (code) => resolve({ code, lines: pending === "" ? lines : [...lines, { text: pending, at: 0 }], stderr }))
  })

let server: TestServer
const scratch = fileURLToPath(new URL("./.docs-examples/", import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), "constellation-docs-"))
beforeAll(async () => {
  server = await startServer()
  mkdirSync(scratch, { recursive: true })
})
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true })
  rmSync(tmp, { recursive: true, force: true })
  await server.close()
})

/** The example's code aimed at the test server (or `url`). */
const aimed = (code: string, url = server.url): string => code.replaceAll(DOC_URL, url)

/** Runs a TypeScript example in this process (the package name mapped to the source) against `url`; what it logged. */
const runTs = async (name: string, url = server.url): Promise<Array<string>> => {
  const file = join(scratch, `${name}.ts`)
  writeFileSync(file, aimed(example(name).code, url).replaceAll("\"constellation/client\"", JSON.stringify(CLIENT_ENTRY)))
  const logged: Array<string> = []
  const spy = vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => void logged.push(args.join(" ")))
  try {
    await import(/* @vite-ignore */ file)
  } finally {
    spy.mockRestore()
  }
  return logged
}

describe("docs/clients.md", () => {
  it("has the examples this test runs", () => {
    expect([...examples.keys()].sort()).toEqual(
      [
        "browser-eventsource",
        "curl",
        "python-requests",
        "python-stdlib",
        "ts-attach",
        "ts-browser",
        "ts-callbacks",
        "ts-effect",
        "ts-effect-websocket",
        "ts-node",
        "ts-websocket"
      ]
    )
  })

  it("TypeScript in Node: the outputs as they arrive", async () => {
    const logged = await runTs("ts-node")
    expect(logged.map((l) => l.replace(/^\d+ ms {2}/, ""))).toEqual(
      example("ts-node").output!.split("\n").map((l) => l.replace(/^\d+ ms {2}/, ""))
    )
    const times = logged.map((l) => Number(/^(\d+) ms/.exec(l)?.[1]))
    expect(times[2]! - times[0]!).toBeGreaterThan(300)
  })

  it("TypeScript in a browser: list items, from a server that wants its API key", async () => {
    const key = /const apiKey = "([^"]+)"/.exec(example("ts-browser").code)?.[1]
    expect(key, "the example names its key in `const apiKey = \"...\"`").toBeDefined()
    const keyed = await startServer({ API_KEYS: key! })
    const document = fakeDocument()
    const sent: Array<string | null> = []
    const realFetch = globalThis.fetch
    vi.stubGlobal("document", document)
    vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get("authorization"))
      return realFetch(input, init)
    })
    try {
      await runTs("ts-browser", keyed.url)
    } finally {
      vi.unstubAllGlobals()
      await keyed.close()
    }
    expect(document.element("#outputs").children).toEqual(["quick: \"HI\"", "slow: \"hi\""])
    expect(sent).toEqual([`Bearer ${key}`])
  })

  it("TypeScript callbacks: the output shown", async () => {
    const logged = await runTs("ts-callbacks")
    const shown = example("ts-callbacks").output!.split("\n")
    // Progress events may be coalesced when the client lags: the last one always comes.
    const isProgress = (l: string) => l.startsWith("progress ")
    expect(logged.filter((l) => !isProgress(l))).toEqual(shown.filter((l) => !isProgress(l)))
    expect(shown.filter(isProgress)).toEqual(expect.arrayContaining(logged.filter(isProgress)))
    expect(logged.filter(isProgress).at(-1)).toBe("progress 2/2")
  })

  it("TypeScript over a WebSocket: two executions at once, the quicker first", async () => {
    expect(await runTs("ts-websocket")).toEqual(example("ts-websocket").output!.split("\n"))
  })

  it("Effect over a WebSocket: two executions at once, the quicker first", async () => {
    expect(await runTs("ts-effect-websocket")).toEqual(example("ts-effect-websocket").output!.split("\n"))
  })

  it("TypeScript create and attach: exactly the output shown", async () => {
    expect(await runTs("ts-attach")).toEqual(example("ts-attach").output!.split("\n"))
  })

  it("Effect: exactly the output shown", async () => {
    expect(await runTs("ts-effect")).toEqual(example("ts-effect").output!.split("\n"))
  })

  it("Python, standard library only: the outputs, streamed", async (ctx) => {
    const reason = unavailable("python3", ["--version"])
    ctx.skip(reason !== undefined, `python3 is not available here: ${reason}`)
    const file = join(tmp, "stdlib.py")
    writeFileSync(file, aimed(example("python-stdlib").code))
    const { code, lines, stderr } = await run("python3", [file])
    expect(stderr).toBe("")
    expect(code).toBe(0)
    expect(lines.map((l) => l.text)).toEqual(example("python-stdlib").output!.split("\n"))
    // Read as the lines arrive: `quick` long before `slow`.
    expect(lines[2]!.at - lines[0]!.at).toBeGreaterThan(300)
  })

  it("Python with requests and sseclient-py: compiles; runs where both are installed", async (ctx) => {
    const python = unavailable("python3", ["--version"])
    ctx.skip(python !== undefined, `python3 is not available here: ${python}`)
    const file = join(tmp, "requests_example.py")
    writeFileSync(file, aimed(example("python-requests").code))
    execFileSync("python3", ["-m", "py_compile", file])
    const missing = unavailable("python3", ["-c", "import requests, sseclient"])
    if (missing !== undefined) {
      const reason = `requests and sseclient-py are not importable here (${missing}); PyPI cannot be reached to install them`
      console.warn(`skipped docs/clients.md python-requests: ${reason}`)
      ctx.skip(reason)
    }
    const { code, lines } = await run("python3", [file])
    expect(code).toBe(0)
    expect(lines.map((l) => l.text)).toEqual(example("python-stdlib").output!.split("\n"))
  })

  it("curl -N: the events, then the batch answer", async (ctx) => {
    const reason = unavailable("curl", ["--version"])
    ctx.skip(reason !== undefined, `curl is not available here: ${reason}`)
    const { code, lines } = await run("bash", ["-c", aimed(example("curl").code)])
    expect(code).toBe(0)
    const text = lines.map((l) => l.text).join("\n")
    expect(text).toMatch(/^: execution [0-9a-f-]+\n\nid: quick\nevent: output\ndata: \{.*\}\n\nid: slow\nevent: complete\ndata: \{.*\}\n\n\{/)
    const data = lines.filter((l) => l.text.startsWith("data: ")).map((l) => JSON.parse(l.text.slice(6)) as unknown)
    expect(data).toEqual([
      expect.objectContaining({ seq: 0, name: "quick", value: "HI", isFinal: false }),
      expect.objectContaining({ seq: 1, name: "slow", value: "hi", isFinal: true })
    ])
    expect(JSON.parse(lines.at(-1)!.text)).toMatchObject({ status: "completed", outputs: { quick: "HI", slow: "hi" } })
  })
})
