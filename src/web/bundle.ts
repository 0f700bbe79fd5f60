/**
 * The dashboard's browser code and stylesheet, with a content hash that
 * names the version for cache busting. In a checkout they are bundled by
 * esbuild from `src/web/app` (TypeScript and CSS) into memory, minified; the
 * installed package has no sources, only the bundle `npm run build` wrote
 * to `dist/web/assets`, which is read instead.
 */
import type * as esbuild from "esbuild"
import { Data, Effect } from "effect"
import { createHash } from "node:crypto"
import { existsSync } from "node:fs"
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises"
import { join, resolve, sep } from "node:path"
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

/** Where `npm run build:web` writes the bundle (git-ignored); the same directory from `src/web` and from `dist/web`. */
export const distDir = join(webDir, "..", "..", "dist", "web") + sep

/** The prebuilt `app.js` and `app.css`, served when the sources are not there. */
export const prebuiltDir = join(distDir, "assets")

/** Whether the dashboard's sources are here (a checkout), so a build there, which may be stale, is not used. */
const hasSources = existsSync(appFile("main.ts"))

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

const versioned = (js: string, css: string): WebBundle => ({
  js,
  css,
  version: createHash("sha256").update(js).update(css).digest("hex").slice(0, 12)
})

/**
 * Where the last bundle of the sources is kept between runs, with the size
 * and modification time of every file it was built from: a server started
 * again with nothing changed reads it instead of loading esbuild (whose
 * module and build cost a server about 8 MB of memory for its lifetime).
 */
export const cacheDir = join(webDir, "..", "..", "node_modules", ".cache", "constellation-web")

/** What a kept bundle was built from: every input's path, size and modification time (`inputs.json`, beside `app.js` and `app.css`). */
type Inputs = ReadonlyArray<readonly [path: string, size: number, mtimeMs: number]>

/** Whether `dir` keeps a bundle none of whose inputs changed since it was built (the manifest alone is read). */
const keptIsCurrent = async (dir: string): Promise<boolean> => {
  try {
    const inputs = JSON.parse(await readFile(join(dir, "inputs.json"), "utf8")) as Inputs
    const unchanged = await Promise.all(inputs.map(async ([path, size, mtimeMs]) => {
      const s = await stat(path)
      return s.size === size && s.mtimeMs === mtimeMs
    }))
    return inputs.length > 0 && unchanged.every(Boolean)
  } catch {
    // None yet, unreadable or an input gone.
    return false
  }
}

const readCached = async (dir: string): Promise<WebBundle | undefined> => {
  if (!(await keptIsCurrent(dir))) return undefined
  try {
    const [js, css] = await Promise.all([readFile(join(dir, "app.js"), "utf8"), readFile(join(dir, "app.css"), "utf8")])
    return versioned(js, css)
  } catch {
    return undefined
  }
}

/**
 * Keeps `bundle` for the next run; a failure only costs the next run a
 * build. The manifest goes last (each file atomically: other servers may be
 * reading), so it never vouches for files older than itself.
 */
const writeCached = async (dir: string, bundle: WebBundle, inputPaths: ReadonlyArray<string>): Promise<void> => {
  try {
    const inputs: Inputs = await Promise.all(inputPaths.map(async (path) => {
      const s = await stat(path)
      return [path, s.size, s.mtimeMs] as const
    }))
    await mkdir(dir, { recursive: true })
    const put = async (name: string, text: string) => {
      const tmp = join(dir, `${name}.${process.pid}.tmp`)
      await writeFile(tmp, text)
      await rename(tmp, join(dir, name))
    }
    await rm(join(dir, "inputs.json"), { force: true })
    await put("app.js", bundle.js)
    await put("app.css", bundle.css)
    await put("inputs.json", JSON.stringify(inputs))
  } catch {
    // A read-only checkout: nothing kept.
  }
}

/** Bundles the sources into memory (esbuild is loaded only here: the installed package does without it). */
const bundleSources = async (dir: string): Promise<WebBundle> => {
  const cached = await readCached(dir)
  if (cached !== undefined) return cached
  const { build: bundle } = await import("esbuild")
  const result = await bundle({ ...buildOptions, write: false, metafile: true, absWorkingDir: webDir })
  const built = versioned(textOf(result.outputFiles, ".js"), textOf(result.outputFiles, ".css"))
  await writeCached(dir, built, Object.keys(result.metafile.inputs).map((path) => resolve(webDir, path)))
  return built
}

const readPrebuilt = async (): Promise<WebBundle> => {
  const read = (name: string) =>
    readFile(join(prebuiltDir, name), "utf8").catch((cause: unknown) => {
      throw new Error(`no sources in ${join(webDir, "app")} and no prebuilt ${name} in ${prebuiltDir} (npm run build writes it)`, { cause })
    })
  const [js, css] = await Promise.all([read("app.js"), read("app.css")])
  return versioned(js, css)
}

/**
 * Whether `build` would run esbuild: the sources are here and no bundle is
 * kept in `dir` whose inputs are all unchanged (the check `build` makes,
 * without reading the bundle itself).
 */
export const needsBuildIn = (dir: string): Effect.Effect<boolean> =>
  Effect.promise(async () => hasSources && !(await keptIsCurrent(dir)))

/** `needsBuildIn` the cache `build` uses. */
export const needsBuild: Effect.Effect<boolean> = Effect.suspend(() => needsBuildIn(cacheDir))

/** The dashboard's bundle: bundled from the sources when they are here, else the prebuilt one. */
export const build: Effect.Effect<WebBundle, WebBundleError> = Effect.suspend(() => buildCachedIn(cacheDir))

/** `build`, keeping the bundle of the sources in `dir` between runs. */
export const buildCachedIn = (dir: string): Effect.Effect<WebBundle, WebBundleError> =>
  Effect.tryPromise({
    try: () => hasSources ? bundleSources(dir) : readPrebuilt(),
    catch: (cause) => new WebBundleError({ detail: cause instanceof Error ? cause.message : String(cause) })
  }).pipe(Effect.withSpan("WebBundle.build"))
