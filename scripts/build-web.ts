/**
 * `npm run build:web`: bundles the dashboard into `dist/web` (git-ignored)
 * as `index.html`, `assets/app.js` and `assets/app.css`, and prints their
 * sizes. The server does not need it (it bundles in memory on the first
 * request); CI runs it to check that the dashboard bundles.
 */
import { Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { build, distDir } from "../src/web/bundle.js"
import { indexHtml } from "../src/web/page.js"

const program = Effect.map(build, (bundle) => {
  mkdirSync(join(distDir, "assets"), { recursive: true })
  const files: ReadonlyArray<readonly [string, string]> = [
    ["index.html", indexHtml(bundle.version)],
    ["assets/app.js", bundle.js],
    ["assets/app.css", bundle.css]
  ]
  for (const [name, text] of files) {
    writeFileSync(join(distDir, name), text)
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`
    console.log(`dist/web/${name}  ${kb(Buffer.byteLength(text))}  (gzip ${kb(gzipSync(text).length)})`)
  }
})

Effect.runPromise(program).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
