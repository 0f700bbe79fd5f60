/**
 * `npm run package:vscode`: the VS Code extension's `.vsix`. esbuild
 * bundles editors/vscode/src/extension.mts (the language client, ws, the
 * project's streaming client) into dist/extension.js, CommonJS as VS Code
 * loads it; then @vscode/vsce packs the folder without running npm (the
 * bundle has every dependency), so it needs no network.
 */
import { createVSIX } from "@vscode/vsce"
import { build } from "esbuild"
import { mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const extensionDir = fileURLToPath(new URL("../editors/vscode/", import.meta.url))

/** Where the package is written. */
export const vsixPath = join(extensionDir, "dist", "constellation-lang.vsix")

/** Bundles the extension and writes the `.vsix`; returns its path. */
export const packageExtension = async (): Promise<string> => {
  rmSync(join(extensionDir, "dist"), { recursive: true, force: true })
  mkdirSync(join(extensionDir, "dist"), { recursive: true })
  await build({
    entryPoints: [join(extensionDir, "src", "extension.mts")],
    outfile: join(extensionDir, "dist", "extension.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // vscode is the host's; ws loads these native speed-ups only when they are installed.
    external: ["vscode", "bufferutil", "utf-8-validate"],
    minify: true,
    legalComments: "none",
    logLevel: "warning"
  })
  await createVSIX({
    cwd: extensionDir,
    packagePath: vsixPath,
    dependencies: false,
    skipLicense: true,
    allowMissingRepository: true
  })
  return vsixPath
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  packageExtension().then(
    (path) => console.log(`wrote ${path}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = 1
    }
  )
}
