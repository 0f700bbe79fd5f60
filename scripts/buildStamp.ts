/**
 * Whether `dist/` was built from the sources as they are: `npm run build`
 * records a fingerprint of its inputs (paths, sizes and modification times
 * of src/ and the build's configuration) once it succeeds, and the pack
 * step rebuilds only when the fingerprint changed.
 */
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../", import.meta.url))
// Not in .cache/constellation: scripts/launch.mjs clears old files there.
const stampFile = join(root, "node_modules", ".cache", "constellation-build", "stamp")
const inputs = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "scripts/build.ts"]

/** The fingerprint of the build's inputs now. */
export const fingerprint = (): string => {
  const hash = createHash("sha256")
  const add = (path: string) => {
    const { size, mtimeMs } = statSync(path)
    hash.update(`${path}\0${size}\0${mtimeMs}\n`)
  }
  const sources = readdirSync(join(root, "src"), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
  for (const path of [...sources, ...inputs.map((f) => join(root, f))]) add(path)
  return hash.digest("hex")
}

/** Records that `dist/` is the build of the inputs of `print`. */
export const stamp = (print: string): void => {
  mkdirSync(dirname(stampFile), { recursive: true })
  writeFileSync(stampFile, print)
}

/** Whether `dist/` is the build of the inputs as they are now. */
export const isFresh = (): boolean =>
  existsSync(join(root, "dist", "index.js")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint()
