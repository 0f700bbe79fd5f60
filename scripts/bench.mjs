// Runs a benchmark as users run the engine: compiled JavaScript under plain
// Node, not TypeScript through tsx. tsx transpiles with esbuild's
// `keepNames`, which wraps every closure the code creates in a call that
// sets its name; on the engine's hot paths that costs about a third more
// time (1,000-module batch: 0.57 ms under tsx, 0.42 ms from the bundle or
// from dist/, in one measurement), while a peer loaded from node_modules
// (graphql-js) runs untouched, so a comparison through tsx is not fair.
//
//   node --expose-gc scripts/bench.mjs [bench/run.ts | bench/peers.ts | ...] [args]
//
// The entry is bundled by scripts/launch.mjs (cached by a fingerprint of
// src/, bench/ and package-lock.json). Each file of the repository keeps
// its own `import.meta.url` (benchmarks read examples/ beside themselves),
// and the entry sees itself as the script run (`process.argv[1]`), so a
// benchmark that runs itself when it is the main module does here too.
import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import { basename, join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { bundled } from "./launch.mjs"

const root = fileURLToPath(new URL("../", import.meta.url))
const entry = process.argv[2] ?? "bench/run.ts"

/**
 * Every TypeScript file of the repository (not of node_modules) with its
 * own URL for `import.meta.url`; the repository's scripts (`.mjs`, such as
 * launch.mjs, which bundles the benchmarks' servers) left out of the bundle
 * and imported from where they are, so theirs is right too.
 */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(build) {
    build.onResolve({ filter: /\.mjs$/ }, (args) => {
      const path = join(args.resolveDir, args.path)
      return relative(join(root, "scripts"), path).startsWith("..") ? undefined : { path, external: true }
    })
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const inRepo = !relative(root, args.path).startsWith("..") && !args.path.includes(`${"/"}node_modules${"/"}`)
      if (!inRepo) return undefined
      const text = await readFile(args.path, "utf8")
      return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" }
    })
  }
}

const path = join(root, entry)
process.argv.splice(1, 2, path)
// The bundle's name changes with this file too (its plugin shapes the bundle).
const own = createHash("sha256").update(await readFile(fileURLToPath(import.meta.url))).digest("hex").slice(0, 8)
const file = await bundled(entry, `bench-${basename(entry, ".ts")}-${own}`, [ownImportMetaUrl])
if (file === undefined) {
  console.error("scripts/bench.mjs: esbuild is not installed; running through tsx (slower: see the comment at the top)")
  const { register } = await import("tsx/esm/api")
  register()
  await import(pathToFileURL(path).href)
} else {
  await import(pathToFileURL(file).href)
}
