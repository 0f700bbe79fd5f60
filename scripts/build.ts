/**
 * `npm run build` (and `npm pack`, through `prepack`): the package's
 * `dist/`. tsc compiles `src` with tsconfig.build.json to ESM JavaScript
 * with declarations and source maps (the sources inlined in the maps, so
 * the package need not ship them); the dashboard's bundle goes to
 * `dist/web/assets`, which `constellation serve` serves from the installed
 * package, where there are no sources to bundle.
 */
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build, prebuiltDir } from "../src/web/bundle.js"
import { fingerprint, stamp } from "./buildStamp.js"

const root = fileURLToPath(new URL("../", import.meta.url))
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")

// Taken before building: a source changed meanwhile leaves the build stale.
const inputs = fingerprint()
rmSync(join(root, "dist"), { recursive: true, force: true })
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" })

const dashboard = Effect.map(build, (bundle) => {
  mkdirSync(prebuiltDir, { recursive: true })
  writeFileSync(join(prebuiltDir, "app.js"), bundle.js)
  writeFileSync(join(prebuiltDir, "app.css"), bundle.css)
})

Effect.runPromise(dashboard).then(() => stamp(inputs)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
