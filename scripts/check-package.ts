/**
 * `npm run check:package` (CI runs it): packs the package as `npm publish`
 * would and checks the tarball with the ecosystem's tools. publint checks
 * package.json against the files (exports, types, files, bin), warnings
 * counted as errors; Are The Types Wrong checks that TypeScript resolves
 * every entry point's types, in Node's ESM resolution and a bundler's. The
 * package is ESM only, hence the `esm-only` profile: a CommonJS `require`
 * and the legacy `node10` resolution are not supported (CommonJS code uses
 * `import()`).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pack, root } from "./pack.js"

const dir = mkdtempSync(join(tmpdir(), "constellation-check-"))
try {
  const tarball = pack(dir)
  const checks: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
    ["publint", ["run", "--strict", tarball]],
    ["attw", ["--profile", "esm-only", tarball]]
  ]
  const failed = checks.filter(([tool, args]) => spawnSync(join(root, "node_modules", ".bin", tool), args, { stdio: "inherit" }).status !== 0)
  if (failed.length > 0) {
    console.error(`check:package: ${failed.map(([tool]) => tool).join(" and ")} found problems`)
    process.exitCode = 1
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
