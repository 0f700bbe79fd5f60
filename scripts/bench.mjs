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
import { readFile } from "node:fs/promises"
import { basename, join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { bundled } from "./launch.mjs"

const root = fileURLToPath(new URL("../", import.meta.url))
const entry = process.argv[2] ?? "bench/run.ts"

/** Every file of the repository (not of node_modules) with its own URL for `import.meta.url`. */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.(ts|mjs)$/ }, async (args) => {
      const inRepo = !relative(root, args.path).startsWith("..") && !args.path.includes(`${"/"}node_modules${"/"}`)
      if (!inRepo) return undefined
      const text = await readFile(args.path, "utf8")
      return {
        contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith(".ts") ? "ts" : "js"
      }
    })
  }
}

const path = join(root, entry)
process.argv.splice(1, 2, path)
const file = await bundled(entry, `bench-${basename(entry, ".ts")}`, [ownImportMetaUrl])
if (file === undefined) {
  console.error("scripts/bench.mjs: esbuild is not installed; running through tsx (slower: see the comment at the top)")
  const { register } = await import("tsx/esm/api")
  register()
  await import(pathToFileURL(path).href)
} else {
  await import(pathToFileURL(file).href)
}
