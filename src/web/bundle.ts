/**
 * The dashboard's browser code and stylesheet, bundled by esbuild from
 * `src/web/app` (TypeScript and CSS) into memory, minified, with a content
 * hash that names the version for cache busting.
 */
import * as esbuild from "esbuild"
import { Data, Effect } from "effect"
import { createHash } from "node:crypto"
import { join, sep } from "node:path"
import { fileURLToPath } from "node:url"

/** The bundle could not be built (a syntax error in `src/web/app`, say). */
export class WebBundleError extends Data.TaggedError("WebBundleError")<{ readonly detail: string }> {
  override get message(): string {
    return `The dashboard could not be bundled: ${this.detail}`
  }
}

export interface WebBundle {
  readonly js: string
  readonly css: string
  /** A short hash of both, for asset URLs. */
  readonly version: string
}

/**
 * This directory (src/web/). When the server runs from a bundle
 * (scripts/launch.mjs), `import.meta.url` is the bundle's, so the launcher
 * defines the real directory at build time.
 */
declare const __CONSTELLATION_WEB_DIR__: string | undefined
const webDir: string = typeof __CONSTELLATION_WEB_DIR__ === "string"
  ? __CONSTELLATION_WEB_DIR__
  : fileURLToPath(new URL("./", import.meta.url))

const appFile = (name: string): string => join(webDir, "app", name)

/** Where `npm run build:web` writes the bundle (git-ignored). */
export const distDir = join(webDir, "..", "..", "dist", "web") + sep

/** The esbuild options of the bundle: `app.js` and `app.css` in `distDir`. */
export const buildOptions = {
  entryPoints: [{ in: appFile("main.ts"), out: "app" }, { in: appFile("styles.css"), out: "app" }],
  outdir: distDir,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022", "chrome110", "firefox110", "safari16"],
  minify: true,
  legalComments: "none",
  logLevel: "silent",
  define: { "process.env.NODE_ENV": "\"production\"" }
} satisfies esbuild.BuildOptions

const textOf = (files: ReadonlyArray<esbuild.OutputFile>, extension: string): string => {
  const file = files.find((f) => f.path.endsWith(extension))
  if (file === undefined) throw new Error(`esbuild wrote no ${extension} file`)
  return file.text
}

/** Bundles the dashboard into memory. */
export const build: Effect.Effect<WebBundle, WebBundleError> = Effect.tryPromise({
  try: async () => {
    const result = await esbuild.build({ ...buildOptions, write: false })
    const js = textOf(result.outputFiles, ".js")
    const css = textOf(result.outputFiles, ".css")
    const version = createHash("sha256").update(js).update(css).digest("hex").slice(0, 12)
    return { js, css, version }
  },
  catch: (cause) => new WebBundleError({ detail: cause instanceof Error ? cause.message : String(cause) })
}).pipe(Effect.withSpan("WebBundle.build"))
