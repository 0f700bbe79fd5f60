/**
 * Checks docs/editors.md against the server: the WebSocket session it
 * shows, sent frame by frame to a real server's `GET /lsp`, gets the
 * diagnostics it shows; the editor snippets start the server the way the
 * CLI takes it.
 */
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { startServer } from "../http/support/server.js"
import type { TestServer } from "../http/support/server.js"

const doc = readFileSync(new URL("../../docs/editors.md", import.meta.url), "utf8")

/** The code block right after `<!-- marker -->`. */
const blockAfter = (marker: string): string => {
  const match = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(doc)
  if (match === null) throw new Error(`no block after <!-- ${marker} -->`)
  return match[1]!
}

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe("docs/editors.md", () => {
  it("shows a /lsp session whose diagnostics the server publishes", async () => {
    const frames = blockAfter("lsp-session").split("\n")
    const expected = JSON.parse(blockAfter("lsp-published")) as { params: { diagnostics: Array<Record<string, unknown>> } }
    const ws = new WebSocket(`${server.wsUrl}/lsp`)
    await new Promise((resolve, reject) => {
      ws.once("open", resolve)
      ws.once("error", reject)
    })
    const published = new Promise<{ params: { diagnostics: Array<Record<string, unknown>> } }>((resolve) =>
      ws.on("message", (data) => {
        const message = JSON.parse(String(data)) as { method?: string; params: { diagnostics: Array<Record<string, unknown>> } }
        if (message.method === "textDocument/publishDiagnostics") resolve(message)
      }))
    for (const frame of frames) ws.send(frame)
    const got = await published
    // The doc leaves out `data`; everything it shows is what the server sends.
    expect({ ...got, params: { ...got.params, diagnostics: got.params.diagnostics.map(({ data: _, ...d }) => d) } }).toEqual(expected)
    ws.close()
  })

  it("starts the server with the arguments the CLI takes, in every snippet", () => {
    expect(doc).toContain("cmd = { \"constellation\", \"lsp\", \"--stdio\" }")
    expect(doc).toContain("command = \"constellation\"\nargs = [\"lsp\", \"--stdio\"]")
    const settings = JSON.parse(/```json\n(\{\n  "constellation[\s\S]*?\n\})\n```/.exec(doc)![1]!) as Record<string, unknown>
    const manifest = JSON.parse(readFileSync(new URL("../../editors/vscode/package.json", import.meta.url), "utf8")) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } }
    }
    for (const [key, value] of Object.entries(settings)) expect(manifest.contributes.configuration.properties[key]?.default).toEqual(value)
  })
})
