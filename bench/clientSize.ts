/**
 * What a browser downloads for `constellation/client`: the built package
 * (`npm run build` first, unless `dist/` is fresh) resolved the way a
 * bundler resolves it once installed (through `node_modules`, so the
 * `exports` map and `sideEffects` of package.json apply), bundled by
 * esbuild for the browser, minified, then gzipped. Each row is an
 * application that imports that much of the client; the largest inputs of
 * the first are listed.
 *
 * Run: npx tsx bench/clientSize.ts
 */
import * as esbuild from "esbuild"
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { isFresh } from "../scripts/buildStamp.js"
import { isMain, table } from "./support.js"

const root = fileURLToPath(new URL("../", import.meta.url))

/** The applications measured: what each imports, and uses. */
const apps: ReadonlyArray<readonly [string, string]> = [
  ["`createClient` (the Promise client)", `import { createClient } from "constellation/client"\nexport const client = createClient({ baseUrl: "/api" })`],
  ["`createClient`, `subscribe`, `connectSocket`, the errors", `export { createClient, subscribe, connectSocket, isClientError, ProtocolError, RequestRejected } from "constellation/client"`],
  ["everything `constellation/client` exports (the Effect client too)", `export * from "constellation/client"`]
]

interface Size {
  readonly minified: number
  readonly gzipped: number
  readonly inputs: ReadonlyArray<readonly [string, number]>
}

const bundle = async (dir: string, contents: string): Promise<Size> => {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: dir, loader: "ts", sourcefile: "app.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent"
  })
  const code = result.outputFiles[0]!.contents
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {}
  return {
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    inputs: Object.entries(inputs).map(([path, { bytesInOutput }]) => [path, bytesInOutput] as const)
  }
}

/** Where an input comes from: a package, a part of effect, or the client itself. */
const origin = (path: string): string => {
  const effect = /node_modules\/effect\/dist\/esm\/(?:internal\/)?([A-Za-z]+)/.exec(path)
  if (effect !== null) return ["Schema", "SchemaAST", "ParseResult", "Arbitrary", "Pretty"].includes(effect[1]!) ? `effect: ${effect[1]}` : "effect: the rest (core, Effect, Stream ...)"
  const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (pkg !== null) return pkg[1] === "fast-check" || pkg[1] === "pure-rand" ? `${pkg[1]} (for Schema's Arbitrary)` : pkg[1]!
  return "constellation (dist)"
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`

export const main = async (): Promise<string> => {
  if (!isFresh()) execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] })
  const dir = mkdtempSync(join(tmpdir(), "constellation-client-size-"))
  try {
    mkdirSync(join(dir, "node_modules"))
    symlinkSync(root, join(dir, "node_modules", "constellation"), "dir")
    const sizes: Array<Size> = []
    for (const [, code] of apps) sizes.push(await bundle(dir, code))
    const rows = apps.map(([name], i) => [name, kib(sizes[i]!.minified), kib(sizes[i]!.gzipped)])
    const byOrigin = new Map<string, number>()
    for (const [path, bytes] of sizes[0]!.inputs) byOrigin.set(origin(path), (byOrigin.get(origin(path)) ?? 0) + bytes)
    const parts = [...byOrigin].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => [name, kib(bytes)])
    return `### Client bundle size\n\nesbuild ${esbuild.version}, browser, ES2022, minified; gzip level 9.\n\n` +
      `${table(["application", "minified", "gzipped"], rows)}\n\n` +
      `Of the first (minified, before gzip):\n\n${table(["from", "minified"], parts)}\n`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) main().then((s) => console.log(s))
