/**
 * What `npm start` loads before it answers: the files of the server's
 * bundle reached by static imports from its entry. Node keeps the source of
 * every file it loads, and compiling it costs memory for the process's
 * life, so what a server at idle does not use (the language server, the
 * Swagger UI, OpenTelemetry's SDK, the Redis client) stays in chunks loaded
 * on first use.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

/** The server's bundle as `npm start` builds it (in plain Node: the launcher finds esbuild through tsx's resolution, which Vitest's module runner does not offer); empty without esbuild. */
const serverBundle = (): string =>
  execFileSync(process.execPath, [
    "--input-type=module",
    "-e",
    `const { bundled } = await import("./scripts/launch.mjs"); process.stdout.write((await bundled("src/http/server/main.ts", "server")) ?? "")`
  ], { cwd: ROOT, encoding: "utf8", timeout: 170_000 })

const STATIC_IMPORT = /^(?:import|export)\s[^"';]*?["'](\.\/[^"']+)["']/gm

/** The bundle's files that loading `entry` evaluates, by name, with their text. */
const loadedAtStartup = (entry: string): Map<string, string> => {
  const files = new Map<string, string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    const text = readFileSync(file, "utf8")
    files.set(file, text)
    for (const m of text.matchAll(STATIC_IMPORT)) visit(join(dirname(file), m[1]!))
  }
  visit(entry)
  return files
}

describe("the server's bundle", () => {
  it("loads at startup none of the packages it needs only on demand", () => {
    const entry = serverBundle()
    if (entry === "") return console.log("skipped: esbuild is not installed, npm start runs the sources through tsx")
    const loaded = [...loadedAtStartup(entry).values()].join("\n")
    // esbuild marks where each bundled file begins with a `// <path>` comment.
    const has = (marker: string) => loaded.includes(`// ${marker}`)
    expect(has("node_modules/effect/")).toBe(true)
    for (const onDemand of ["vscode-languageserver", "@effect/platform/dist/esm/HttpApiSwagger.js", "@opentelemetry/sdk-trace-base", "ioredis"]) {
      expect(has(`node_modules/${onDemand}`), `${onDemand} is loaded at startup`).toBe(false)
    }
    expect(has("src/lsp/"), "src/lsp is loaded at startup").toBe(false)
  }, 180_000)
})
