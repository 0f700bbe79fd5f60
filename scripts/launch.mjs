// Runs a TypeScript entry point of the repository without a build step and
// without tsx at run time: the entry is bundled by esbuild (the transpiler
// tsx itself uses) with the packages it uses (tree-shaken: a server then
// holds about 30 MB less; what is imported on demand in chunks of its own),
// cached under node_modules/.cache by a
// fingerprint of src/, the entry and package-lock.json (paths, sizes,
// modification times), and imported by plain Node. Compared with tsx's
// loader: about twice as fast to start, and no `keepNames` wrapper on every
// closure the code creates (measurable on a server's hot path). Without
// esbuild, tsx's loader runs the source directly.
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import v8 from "node:v8"

const root = fileURLToPath(new URL("../", import.meta.url))
const src = join(root, "src")
const cacheDir = join(root, "node_modules", ".cache", "constellation")
const STALE_MS = 3_600_000

/** Changes whenever a file under src/, or beside the entry (bench/ for its servers), is added, removed or modified, and with this file. */
const fingerprint = (entry) => {
  const hash = createHash("sha256")
  const add = (path) => {
    const { size, mtimeMs } = statSync(path)
    hash.update(`${path}\0${size}\0${mtimeMs}\n`)
  }
  const walk = (dir, deep) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name)
      if (e.isDirectory()) {
        if (deep) walk(path, deep)
      } else if (e.name.endsWith(".ts")) add(path)
    }
  }
  walk(src, true)
  if (!entry.startsWith(src)) walk(dirname(entry), false)
  // The bundle holds the packages: a change of dependencies is a new bundle; so is a change of how it is built.
  add(join(root, "package-lock.json"))
  add(fileURLToPath(import.meta.url))
  return hash.digest("hex").slice(0, 16)
}

const loadEsbuild = () => {
  try {
    return createRequire(import.meta.resolve("tsx"))("esbuild")
  } catch {
    return undefined
  }
}

/**
 * Bundles `entry` into the directory `dir` (atomically: other runs may be
 * reading the cache) and drops stale bundles. What is imported on demand
 * (OpenTelemetry, the Swagger UI's 2 MB of script, ...) goes into chunks of
 * its own, loaded only when used: the entry's own file is about half the
 * size, and Node holds the source of every file it has loaded.
 */
const bundle = async (esbuild, entry, dir, plugins, minify) => {
  let result
  try {
    result = await esbuild.build({
      entryPoints: [{ in: entry, out: "main" }],
      bundle: true,
      splitting: true,
      outdir: dir,
      outExtension: { ".js": ".mjs" },
      // The packages are bundled too, so only what the entry uses is loaded: Effect's barrel
      // imports every module it has, which costs a server about 30 MB of heap. Left out:
      // esbuild and tsx (native binaries, loaded on demand) and the optional native addons of ws.
      external: ["esbuild", "tsx", "tsx/*", "bufferutil", "utf-8-validate"],
      // Bundled CommonJS packages require Node's built-in modules.
      banner: { js: "import { createRequire as __constellationRequire } from 'node:module'; const require = __constellationRequire(import.meta.url);" },
      platform: "node",
      format: "esm",
      target: "node20",
      // Whitespace and syntax only (names stay, for stack traces): Node holds the source of every
      // file it loads, and parses it; 3.0 MB of script becomes 2.15 (docs/benchmarks.md, "Server
      // memory at idle"). `node --enable-source-maps` maps traces back through the linked map.
      minifyWhitespace: minify,
      minifySyntax: minify,
      sourcemap: "linked",
      // meta.json beside the bundle: which sources each file holds and what it imports.
      metafile: true,
      absWorkingDir: root,
      // src/web/bundle.ts finds the dashboard's sources by this, not by the bundle's own URL.
      define: { __CONSTELLATION_WEB_DIR__: JSON.stringify(join(src, "web") + "/") },
      write: false,
      logLevel: "silent",
      plugins
    })
  } catch (error) {
    const text = await esbuild.formatMessages(error.errors ?? [], { kind: "error" })
    process.stderr.write(text.join("") || String(error))
    process.exit(1)
  }
  const tmp = `${dir}.${process.pid}.tmp`
  mkdirSync(tmp, { recursive: true })
  for (const f of result.outputFiles) writeFileSync(join(tmp, relative(dir, f.path)), f.contents)
  writeFileSync(join(tmp, "meta.json"), JSON.stringify(result.metafile))
  try {
    renameSync(tmp, dir)
  } catch (error) {
    // Another run put the same bundle there first.
    rmSync(tmp, { recursive: true, force: true })
    if (!existsSync(join(dir, "main.mjs"))) throw error
  }
  for (const name of readdirSync(cacheDir)) {
    const other = join(cacheDir, name)
    try {
      if (other !== dir && Date.now() - statSync(other).mtimeMs > STALE_MS) rmSync(other, { recursive: true, force: true })
    } catch {
      // Another run removed it first.
    }
  }
}

/**
 * The bundle of `entry` (a path from the repository's root), built if
 * needed; undefined when esbuild is not installed. `plugins` are esbuild's
 * (the bundle's name must then differ from one built without them).
 */
export const bundled = async (entry, name, plugins = []) => {
  const path = join(root, entry)
  // CONSTELLATION_MINIFY=false: a bundle a profile can be read by (a line per source line).
  const minify = process.env.CONSTELLATION_MINIFY !== "false"
  const dir = join(cacheDir, `${name}${minify ? "" : "-plain"}-${fingerprint(path)}`)
  const file = join(dir, "main.mjs")
  if (existsSync(file)) return file
  const esbuild = loadEsbuild()
  if (esbuild === undefined) return undefined
  mkdirSync(cacheDir, { recursive: true })
  await bundle(esbuild, path, dir, plugins, minify)
  return file
}

/**
 * For a server (`npm start`, `constellation serve`): V8's young generation
 * keeps its initial size until the server listens, when
 * src/http/server/youngGeneration.ts restores V8's growth. What startup
 * allocates lives on, and semi-spaces grown for it would stay 16 MB at
 * idle. A `--semi-space-growth-factor` given to Node wins. Call it before
 * anything is loaded.
 */
export const holdYoungGeneration = () => {
  if (![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => /semi[-_]space[-_]growth[-_]factor/.test(a))) {
    v8.setFlagsFromString("--semi-space-growth-factor=1")
  }
}

/** Runs `entry` (a path from the repository's root) from its bundle, or through tsx without esbuild. */
export const launch = async (entry, name) => {
  // V8's allocation-site pretenuring misjudges the engine's per-execution objects as long-lived
  // and allocates them in the old generation, where dead ones keep young ones alive: scavenges
  // then copy most of what an execution allocated and take 25-150 ms each. Off, a small batch
  // run costs 0.11 -> 0.05 ms of CPU (docs/benchmarks.md). Set before anything is loaded.
  v8.setFlagsFromString("--no-allocation-site-pretenuring")
  const file = await bundled(entry, name)
  if (file === undefined) {
    const { register } = await import("tsx/esm/api")
    register()
    await import(pathToFileURL(join(root, entry)).href)
  } else {
    await import(pathToFileURL(file).href)
  }
}
