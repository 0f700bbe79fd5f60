/**
 * The package as npm would publish it: `npm run build` (unless `dist/` is
 * already the build of the sources as they are), then `npm pack` into a
 * directory of the caller's. Shared by `npm run check:package` and the
 * install test (test/package).
 */
import { Schema } from "effect"
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { isFresh } from "./buildStamp.js"

export const root = fileURLToPath(new URL("../", import.meta.url))

/** What `npm pack --json` prints: one entry per package packed. */
const decodePackOutput = Schema.decodeUnknownSync(
  Schema.parseJson(Schema.Tuple([Schema.Struct({ filename: Schema.String })], Schema.Unknown))
)

/** Builds `dist/` unless it is the build of the sources as they are, and packs it into `destination`; returns the tarball's path. */
export const pack = (destination: string): string => {
  if (!isFresh()) execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] })
  // dist is up to date: --ignore-scripts keeps prepack from building it again.
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"]
  })
  const [{ filename }] = decodePackOutput(out)
  return join(destination, filename)
}
