/**
 * `npm run package:vscode` builds the extension's `.vsix` (esbuild, then
 * @vscode/vsce, no network); its manifest contributes the language, the
 * grammar, the commands and the settings, and the bundle it ships loads.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { beforeAll, describe, expect, it } from "vitest"
import { packageExtension } from "../../../scripts/package-vscode.js"
import { readZip } from "./support/readZip.js"

let files: Map<string, Buffer>
beforeAll(async () => {
  files = readZip(readFileSync(await packageExtension()))
}, 120_000)

const json = (name: string): Record<string, unknown> => JSON.parse(files.get(name)!.toString("utf8")) as Record<string, unknown>

describe("the .vsix", () => {
  it("holds the manifest, the bundle, the grammar and the language configuration, and no sources", () => {
    expect([...files.keys()].sort()).toEqual(expect.arrayContaining([
      "extension.vsixmanifest",
      "extension/package.json",
      "extension/dist/extension.js",
      "extension/syntaxes/constellation.tmLanguage.json",
      "extension/language-configuration.json",
      "extension/readme.md"
    ]))
    expect([...files.keys()].filter((f) => f.endsWith(".mts") || f.includes("node_modules"))).toEqual([])
  })

  it("contributes the language, the grammar, the Run pipeline command and the server settings", () => {
    const manifest = json("extension/package.json")
    const contributes = manifest["contributes"] as Record<string, Array<Record<string, unknown>> & Record<string, unknown>>
    expect(manifest).toMatchObject({ name: "constellation-lang", main: "./dist/extension.js", activationEvents: ["onLanguage:constellation"] })
    expect(contributes["languages"]).toEqual([expect.objectContaining({ id: "constellation", extensions: [".cst"] })])
    expect(contributes["grammars"]).toEqual([{ language: "constellation", scopeName: "source.constellation", path: "./syntaxes/constellation.tmLanguage.json" }])
    expect(contributes["commands"]).toContainEqual(expect.objectContaining({ command: "constellation.runPipeline", title: "Run pipeline", category: "Constellation" }))
    const properties = (contributes["configuration"] as unknown as { properties: Record<string, unknown> }).properties
    expect(Object.keys(properties).sort()).toEqual([
      "constellation.languageServer.command",
      "constellation.languageServer.transport",
      "constellation.server.apiKey",
      "constellation.server.url"
    ])
    const xml = files.get("extension.vsixmanifest")!.toString("utf8")
    expect(xml).toContain("Microsoft.VisualStudio.Code")
  })

  it("ships a grammar that scopes comments, strings, keywords and calls", () => {
    const grammar = json("extension/syntaxes/constellation.tmLanguage.json")
    expect(grammar["scopeName"]).toBe("source.constellation")
    const text = JSON.stringify(grammar)
    for (const scope of ["comment.line.number-sign", "string.quoted.double", "keyword.control", "entity.name.function", "meta.interpolation"]) {
      expect(text).toContain(scope)
    }
  })

  it("ships a CommonJS bundle that VS Code can load: activate and deactivate exported", () => {
    const bundle = files.get("extension/dist/extension.js")!.toString("utf8")
    // Loaded with a `vscode` module that only has to exist: activation is not called here.
    const module = { exports: {} as Record<string, unknown> }
    const require = createRequire(import.meta.url)
    // Anything read from it is a class (the language client extends some at load time), whose members are too.
    const anything: object = new Proxy(class {}, { get: (target, key) => (key === "prototype" ? target.prototype : anything) })
    const requireWithVscode = (id: string): unknown => (id === "vscode" ? anything : require(id))
    new Function("module", "exports", "require", bundle)(module, module.exports, requireWithVscode)
    expect(typeof module.exports["activate"]).toBe("function")
    expect(typeof module.exports["deactivate"]).toBe("function")
  })
})
