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
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

/** The server's bundle as `npm start` builds it (in plain Node: the launcher finds esbuild through tsx's resolution, which Vitest's module runner does not offer); empty without esbuild. */
const serverBundle = (minify = true): string =>
  execFileSync(process.execPath, [
    "--input-type=module",
    "-e",
    `const { bundled } = await import("./scripts/launch.mjs"); process.stdout.write((await bundled("src/http/server/main.ts", "server")) ?? "")`
  ], { cwd: ROOT, encoding: "utf8", timeout: 170_000, env: { ...process.env, CONSTELLATION_MINIFY: String(minify) } })

/** The part of esbuild's metafile read here (written beside the bundle by the launcher as meta.json). */
interface Metafile {
  readonly outputs: Record<string, {
    readonly imports: ReadonlyArray<{ readonly path: string; readonly kind: string; readonly external?: boolean }>
    readonly inputs: Record<string, unknown>
  }>
}

/** The source files (paths from the repository's root) of the bundle's files that loading `entry` evaluates: its static imports, followed. */
const loadedAtStartup = (entry: string): Set<string> => {
  const meta = JSON.parse(readFileSync(join(dirname(entry), "meta.json"), "utf8")) as Metafile
  const sources = new Set<string>()
  const seen = new Set<string>()
  const visit = (output: string) => {
    if (seen.has(output)) return
    seen.add(output)
    const file = meta.outputs[output]
    if (file === undefined) throw new Error(`meta.json has no output ${output}`)
    for (const input of Object.keys(file.inputs)) sources.add(input)
    for (const i of file.imports) if (i.kind === "import-statement" && i.external !== true) visit(i.path)
  }
  visit(relative(ROOT, entry))
  return sources
}

describe("the server's bundle", () => {
  it("loads at startup none of the packages it needs only on demand", () => {
    const entry = serverBundle()
    if (entry === "") return console.log("skipped: esbuild is not installed, npm start runs the sources through tsx")
    const loaded = [...loadedAtStartup(entry)]
    const has = (prefix: string) => loaded.some((source) => source.startsWith(prefix))
    expect(has("node_modules/effect/")).toBe(true)
    for (const onDemand of ["vscode-languageserver", "@effect/platform/dist/esm/HttpApiSwagger.js", "@opentelemetry/sdk-trace-base", "ioredis"]) {
      expect(has(`node_modules/${onDemand}`), `${onDemand} is loaded at startup`).toBe(false)
    }
    expect(has("src/lsp/"), "src/lsp is loaded at startup").toBe(false)
  }, 180_000)

  it("is minified, unless CONSTELLATION_MINIFY=false asks for a line per source line", () => {
    const minified = serverBundle()
    if (minified === "") return console.log("skipped: esbuild is not installed, npm start runs the sources through tsx")
    const plain = serverBundle(false)
    expect(dirname(plain)).not.toBe(dirname(minified))
    const lines = (file: string) => readFileSync(file, "utf8").split("\n").length
    // The same sources at startup (minifying drops a couple that leave no code), in several times as many lines.
    const plainSources = loadedAtStartup(plain)
    const missing = [...loadedAtStartup(minified)].filter((source) => !plainSources.has(source))
    expect(missing).toEqual([])
    expect(lines(plain)).toBeGreaterThan(5 * lines(minified))
  }, 180_000)
})
