/**
 * The extension's activation and commands with the VS Code API stubbed
 * (VS Code itself cannot run here): the language client it starts (stdio
 * by default, the server's WebSocket when configured, restarted on a
 * settings change), and "Run pipeline" end to end against a real server,
 * cancel included.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import { makeVscodeStub } from "./support/vscodeStub.js"
import { startServer } from "../../http/support/server.js"
import type { TestServer } from "../../http/support/server.js"

const stub = makeVscodeStub()
vi.mock("vscode", () => stub.api)

const { activateWith, CANCEL_COMMAND, RUN_COMMAND } = await import("../../../editors/vscode/src/activation.mjs")
type Factory = Parameters<typeof activateWith>[1]

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const contexts: Array<{ subscriptions: Array<{ dispose: () => void }> }> = []
/** An extension context; its subscriptions are disposed after each test, as VS Code does on deactivation. */
const context = () => {
  const made = { subscriptions: [] as Array<{ dispose: () => void }> }
  contexts.push(made)
  return made as never
}
afterEach(() => {
  for (const c of contexts.splice(0)) for (const s of c.subscriptions) s.dispose()
})

/** A language client that records how it was made and driven. */
const recordingFactory = () => {
  const made: Array<{ serverOptions: unknown; clientOptions: unknown; events: Array<string> }> = []
  const factory: Factory = (serverOptions, clientOptions) => {
    const events: Array<string> = []
    made.push({ serverOptions, clientOptions, events })
    return { start: () => Promise.resolve(void events.push("start")), stop: () => Promise.resolve(void events.push("stop")) }
  }
  return { made, factory }
}

describe("activation", () => {
  it("starts the language client on `constellation lsp --stdio` for .cst documents by default", async () => {
    stub.settings.clear()
    const { made, factory } = recordingFactory()
    const activated = await activateWith(context(), factory)
    expect(made).toHaveLength(1)
    expect(made[0]!.serverOptions).toEqual({ command: "constellation", args: ["lsp", "--stdio"], transport: 0 })
    expect(made[0]!.clientOptions).toMatchObject({ documentSelector: [{ scheme: "file", language: "constellation" }, { scheme: "untitled", language: "constellation" }] })
    expect(made[0]!.events).toEqual(["start"])
    expect([...stub.commands.keys()]).toEqual(expect.arrayContaining([RUN_COMMAND, CANCEL_COMMAND, "constellation.restartLanguageServer"]))
    await activated.deactivate()
    expect(made[0]!.events).toEqual(["start", "stop"])
  })

  it("connects to the server's /lsp when configured, and restarts the client when the settings change", async () => {
    stub.settings.clear()
    stub.settings.set("constellation.languageServer.transport", "server")
    stub.settings.set("constellation.server.url", server.url)
    const { made, factory } = recordingFactory()
    await activateWith(context(), factory)
    const connect = made[0]!.serverOptions as () => Promise<{ reader: unknown; writer: unknown; socket: { close: () => void } }>
    expect(typeof connect).toBe("function")
    const transports = await connect()
    expect(transports.reader).toBeDefined()
    transports.socket.close()
    stub.settings.set("constellation.languageServer.transport", "stdio")
    ;(stub.api["fireConfigurationChange"] as (s: string) => void)("constellation.languageServer.transport")
    await vi.waitFor(() => expect(made).toHaveLength(2))
    expect(made[0]!.events).toEqual(["start", "stop"])
    expect(made[1]!.serverOptions).toMatchObject({ args: ["lsp", "--stdio"] })
  })
})

describe("the Run pipeline command", () => {
  it("runs the active document on the configured server and writes each output to the Constellation panel", async () => {
    stub.settings.clear()
    stub.settings.set("constellation.server.url", server.url)
    stub.activeTextEditor = {
      document: { languageId: "constellation", fileName: "/work/hello.cst", getText: () => "@example(\"ada\")\nin name: String\ngreeting = Uppercase(name)\nout greeting\n" }
    }
    const prompts: Array<string> = []
    stub.answer = (prompt, value) => {
      prompts.push(`${prompt} [${value}]`)
      return value
    }
    await activateWith(context(), recordingFactory().factory)
    const outcome = await stub.commands.get(RUN_COMMAND)!()
    expect(outcome).toMatchObject({ _tag: "Completed", outputs: 1 })
    expect(prompts).toEqual(["name: String [ada]"])
    const lines = stub.channels.get("Constellation")!
    expect(lines[0]).toBe(`— /work/hello.cst on ${server.url}`)
    expect(lines.some((l) => /✓ greeting = "ADA"$/.test(l))).toBe(true)
  })

  it("is cancelled from the progress notification: the run stops and says so", async () => {
    stub.settings.clear()
    stub.settings.set("constellation.server.url", server.url)
    stub.activeTextEditor = {
      document: { languageId: "constellation", fileName: "/work/slow.cst", getText: () => "in t: String\nlater = Delay(t, 20000)\nout later\n" }
    }
    stub.answer = () => "x"
    stub.cancelAfterMs = 300
    await activateWith(context(), recordingFactory().factory)
    const started = performance.now()
    const outcome = await stub.commands.get(RUN_COMMAND)!()
    stub.cancelAfterMs = undefined
    expect(outcome).toEqual({ _tag: "Cancelled" })
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it("warns when the active editor is not a pipeline", async () => {
    stub.activeTextEditor = { document: { languageId: "markdown", fileName: "/work/README.md", getText: () => "" } }
    await activateWith(context(), recordingFactory().factory)
    expect(await stub.commands.get(RUN_COMMAND)!()).toBeUndefined()
    expect(stub.messages).toContain("warning: Open a constellation-lang pipeline (.cst) to run it.")
  })
})
