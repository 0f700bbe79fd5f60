#!/usr/bin/env node
// The `constellation` command, runnable from the repository without a build
// step (`npx constellation ...`). src/cli/main.ts is bundled by esbuild (the
// transpiler tsx itself uses) with every package left external, cached under
// node_modules/.cache by a fingerprint of src/ (paths, sizes, modification
// times), and imported by plain Node: about twice as fast to start as tsx's
// loader hooks, which intercept every module of effect. Without esbuild,
// tsx's loader runs the source directly.
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../", import.meta.url))
const src = join(root, "src")
const entry = join(src, "cli", "main.ts")
const cacheDir = join(root, "node_modules", ".cache", "constellation")
const STALE_MS = 3_600_000

/** Changes whenever a file under src/ is added, removed or modified. */
const fingerprint = () => {
  const hash = createHash("sha256")
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith(".ts")) {
        const { size, mtimeMs } = statSync(path)
        hash.update(`${path}\0${size}\0${mtimeMs}\n`)
      }
    }
  }
  walk(src)
  return hash.digest("hex").slice(0, 16)
}

const loadEsbuild = () => {
  try {
    return createRequire(import.meta.resolve("tsx"))("esbuild")
  } catch {
    return undefined
  }
}

/** Bundles main.ts into `file` (atomically: other runs may be reading the cache) and drops stale bundles. */
const bundle = async (esbuild, file) => {
  let result
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      logLevel: "silent"
    })
  } catch (error) {
    const text = await esbuild.formatMessages(error.errors ?? [], { kind: "error" })
    process.stderr.write(text.join("") || String(error))
    process.exit(1)
  }
  mkdirSync(cacheDir, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, result.outputFiles[0].contents)
  renameSync(tmp, file)
  for (const name of readdirSync(cacheDir)) {
    const other = join(cacheDir, name)
    try {
      if (other !== file && Date.now() - statSync(other).mtimeMs > STALE_MS) unlinkSync(other)
    } catch {
      // Another run removed it first.
    }
  }
}

const file = join(cacheDir, `cli-${fingerprint()}.mjs`)
const esbuild = existsSync(file) ? undefined : loadEsbuild()
if (!existsSync(file) && esbuild === undefined) {
  const { register } = await import("tsx/esm/api")
  register()
  await import(new URL("../src/cli/main.ts", import.meta.url).href)
} else {
  if (esbuild !== undefined) await bundle(esbuild, file)
  await import(new URL(`file://${file}`).href)
}
