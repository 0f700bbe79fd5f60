/**
 * The package as a user gets it. `npm pack` (after `npm run build`), then a
 * fresh project in a temp directory outside the repository installs the
 * tarball with `effect` at the version this repository runs (and vitest for
 * the test file), from npm's cache when it can (`--prefer-offline`). There,
 * with plain `node` and no tsx:
 * - tsc compiles the consumer's files (the examples of docs/library.md, two
 *   client examples of docs/clients.md, a file that names the public types)
 *   with `module: nodenext`, `types: []` and no `skipLibCheck`, so every
 *   declaration file is checked (the output is what runs below); and checks
 *   them again with `module: bundler`, `types: []`, this time with
 *   `skipLibCheck` (the same declarations, already checked: this run is about
 *   resolution through the `types` conditions and the consumer's code);
 * - each docs/library.md program prints what the docs show;
 * - the packed CLI serves the API and the dashboard on 127.0.0.1, and the
 *   Promise and Effect clients (`constellation/client`) run against it;
 * - the docs' test file passes under vitest and TestClock.
 * It skips only when npm can reach neither its cache nor the registry, and
 * says why; under CI (`CI` set) it fails instead.
 */
import { outputOf } from "../support/processOutput.js"
import type { ProcessOutput } from "../support/processOutput.js"
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { pack, root } from "../../scripts/pack.js"
import { examplesOf, readDoc } from "../docs/markdown.js"

const versionOf = (name: string): string => {
  const manifest: unknown = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"))
  const version = typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : undefined
  if (typeof version !== "string") throw new Error(`no version for ${name}`)
  return version
}

const libraryExamples = examplesOf(readDoc("docs/library.md"))
const programs = libraryExamples.filter((e) => e.output !== undefined)
const testFile = libraryExamples.find((e) => e.name === "testing")
const clientExamples = examplesOf(readDoc("docs/clients.md")).filter((e) => e.name === "ts-node" || e.name === "ts-effect")
const DOC_URL = "http://127.0.0.1:8080"

/** A consumer file that names the public types of both entry points; tsc checks it, nothing runs it. */
const typesFile = `import type { BatchResult, CompiledPipeline, Diagnostic, EngineShape, Execution, ExecutionEvent, LogWriter, StreamOptions, Value } from "constellation"
import { CompileError, Compiler, Engine, ExecutionEvent as ExecutionEventSchema, layerEngine, layerRegistry, layerSchedulerWith, layerStdlib, makeRegistry, makeStdlib, Module, ModuleError, ModuleRegistry, Scheduler } from "constellation"
import type { BatchResponse, ClientError, CompileResponse, ConstellationClient, StreamEvent } from "constellation/client"
import { createClient, decodeEvent, isClientError, ProtocolError } from "constellation/client"
import { Effect, Either, Layer, Schema } from "effect"

export const describeEvent = (e: ExecutionEvent): string => {
  switch (e._tag) {
    case "Output": return \`\${e.name} = \${JSON.stringify(e.value satisfies Value)}\`
    case "OutputFailed": return \`\${e.name} failed: \${e.error.code}\`
    case "ExecutionFailed": return \`ended: \${e.missing.join(", ")}\`
    case "ModuleStarted": case "ModuleCompleted": case "ModuleFailed": case "ModuleSkipped": case "ModuleRetrying": return e.module
    case "Progress": return \`\${e.completed}/\${e.total}\`
  }
}
export const describeWire = (e: StreamEvent): string => e.event === "error" ? e.data.error.code : e.event
export const isEvent = Schema.is(ExecutionEventSchema)
export const diagnostics = (e: CompileError): ReadonlyArray<Diagnostic> => e.diagnostics
export const statusOf = (r: BatchResult | BatchResponse): string => r.status
export const refOf = (p: CompiledPipeline | CompileResponse): string => "ref" in p ? p.ref : ""
export const options: StreamOptions = { progress: true, maxBuffered: 4 }
export const writer = (events: Array<ExecutionEvent>): LogWriter => ({
  write: (e) => void events.push(e),
  hasRoom: () => true,
  onRoom: () => () => {}
})
export const prepared = (pipeline: CompiledPipeline): Effect.Effect<Execution, unknown, Engine> =>
  Effect.flatMap(Engine, (engine) => engine.prepare(pipeline, {}))
export const handBuilt: Layer.Layer<Engine | Scheduler | ModuleRegistry> = layerEngine.pipe(
  Layer.provideMerge(layerSchedulerWith(2)),
  Layer.provideMerge(Layer.succeed(ModuleRegistry, makeRegistry(makeStdlib())))
)
export const registries: ReadonlyArray<Layer.Layer<ModuleRegistry>> = [layerStdlib, layerRegistry([], makeStdlib())]
export const run = (source: string): Effect.Effect<BatchResult, unknown, Compiler | Engine> =>
  Effect.gen(function*() {
    const engine: EngineShape = yield* Engine
    return yield* engine.run(yield* (yield* Compiler).compile(source), {})
  })
export const Twice = Module.sync({
  name: "Twice", description: "n * 2", params: { n: Module.Int }, result: Module.Int,
  run: ({ n }) => n > 1e6 ? new ModuleError({ code: "too_big", message: "too big" }) : n * 2
})
export const client: ConstellationClient = createClient({ baseUrl: "/api" })
export const errorText = (e: unknown): string => isClientError(e) ? (e satisfies ClientError).message : String(e)
export const decoded = decodeEvent("output", "{}").pipe(Either.mapLeft((e) => e instanceof ProtocolError))
`

const tsconfig = (module: "nodenext" | "bundler") =>
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      module: module === "nodenext" ? "NodeNext" : "ESNext",
      moduleResolution: module === "nodenext" ? "NodeNext" : "Bundler",
      strict: true,
      exactOptionalPropertyTypes: true,
      types: [],
      skipLibCheck: module === "bundler",
      ...(module === "nodenext" ? { outDir: "build", rootDir: "src" } : { noEmit: true })
    },
    include: ["src"]
  }, null, 2)

type Ran = ProcessOutput

/** Runs `node args` in `cwd`, killed after `timeoutMs`. */
const node = (args: ReadonlyArray<string>, cwd: string, timeoutMs = 60_000): Promise<Ran> =>
  command(process.execPath, args, cwd, timeoutMs)

const command = (file: string, args: ReadonlyArray<string>, cwd: string, timeoutMs: number): Promise<Ran> => {
  // Without the variables of the vitest running this file, so a child vitest is a plain one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST")))
  return outputOf(spawn(file, args, { cwd, env: { ...env, NO_COLOR: "1" }, timeout: timeoutMs }))
}

/** npm could not get a package from its cache or the registry: the only reason to skip. */
const unreachable = (output: string): boolean => /ENOTCACHED|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET/.test(output)

/** The packed CLI's server: its address, once it says where it listens. */
const serve = (project: string) =>
  new Promise<{ readonly child: ChildProcess; readonly url: string }>((resolve, reject) => {
    const bin = join(project, "node_modules", "constellation", "bin", "constellation.mjs")
    const child = spawn(process.execPath, [bin, "serve", "--host", "127.0.0.1", "--port", "0"], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1" }
    })
    let output = ""
    const timer = setTimeout(() => reject(new Error(`the packed CLI did not listen within 20 s:\n${output}`)), 20_000)
    const onData = (chunk: string) => {
      output += chunk
      const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      if (url !== undefined) {
        clearTimeout(timer)
        resolve({ child, url })
      }
    }
    child.stdout.setEncoding("utf8").on("data", onData)
    child.stderr.setEncoding("utf8").on("data", onData)
    child.on("exit", (code) => reject(new Error(`the packed CLI exited (${code}) before listening:\n${output}`)))
  })

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.on("exit", (code) => resolve(code))
  })

const files = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)))

let dir = ""
let project = ""
let skipReason: string | undefined
let server: { readonly child: ChildProcess; readonly url: string } | undefined
const compiled = new Map<"nodenext" | "bundler", Ran>()
/** The docs' test file run under vitest in the project, started alongside tsc. */
let vitestRun: Promise<Ran> | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "constellation-install-"))
  project = join(dir, "app")
  mkdirSync(join(project, "src"), { recursive: true })
  const tarball = pack(dir)
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }))
  const packages = [tarball, `effect@${versionOf("effect")}`, `vitest@${versionOf("vitest")}`, `@effect/vitest@${versionOf("@effect/vitest")}`]
  const npm = await command("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...packages], project, 120_000)
  if (npm.code !== 0) {
    const output = `${npm.stdout}\n${npm.stderr}`
    if (!unreachable(output) || process.env["CI"] !== undefined) throw new Error(`npm install failed:\n${output}`)
    skipReason = `npm reached neither its cache nor the registry: ${output.trim().split("\n").slice(-3).join(" ")}`
    console.warn(`test/package/install.test.ts skipped: ${skipReason}`)
    return
  }
  server = await serve(project)
  for (const e of programs) writeFileSync(join(project, "src", `${e.name}.ts`), e.code)
  for (const e of clientExamples) writeFileSync(join(project, "src", `${e.name}.ts`), e.code.replaceAll(DOC_URL, server.url))
  writeFileSync(join(project, "src", "types.ts"), typesFile)
  mkdirSync(join(project, "test"))
  if (testFile !== undefined) writeFileSync(join(project, "test", "pipeline.test.ts"), testFile.code)
  writeFileSync(join(project, "tsconfig.json"), tsconfig("nodenext"))
  writeFileSync(join(project, "tsconfig.bundler.json"), tsconfig("bundler"))
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
  vitestRun = node([join("node_modules", "vitest", "vitest.mjs"), "run"], project)
  const [nodenext, bundler] = await Promise.all([node([tsc, "-p", "tsconfig.json"], project), node([tsc, "-p", "tsconfig.bundler.json"], project)])
  compiled.set("nodenext", nodenext)
  compiled.set("bundler", bundler)
}, 240_000)

afterAll(async () => {
  if (server !== undefined) {
    server.child.kill("SIGTERM")
    await exited(server.child)
  }
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

describe("the packed package, installed in a fresh project", () => {
  it("ships dist and the bin, without tests, benchmarks or sources, and the app shares its one effect", (ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason)
    const shipped = files(join(project, "node_modules", "constellation"))
    expect(shipped).toEqual(expect.arrayContaining(["package.json", "bin/constellation.mjs", "dist/index.js", "dist/index.d.ts", "dist/index.js.map", "dist/client/index.js", "dist/web/assets/app.js"]))
    expect(shipped.filter((f) => /^(src|test|bench|soak|scripts|examples)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([])
    const copies = files(join(project, "node_modules")).filter((f) => /(^|\/)effect\/package\.json$/.test(f))
    expect(copies).toEqual(["effect/package.json"])
  })

  for (const module of ["nodenext", "bundler"] as const) {
    it(`typechecks the consumer's files with module ${module}, types []`, (ctx) => {
      if (skipReason !== undefined) return ctx.skip(skipReason)
      const result = compiled.get(module)
      expect(`${result?.stdout}${result?.stderr}`).toBe("")
      expect(result?.code).toBe(0)
    })
  }

  for (const example of programs) {
    it.concurrent(`runs the ${example.name} example of docs/library.md with plain node`, async (ctx) => {
      const { expect } = ctx
      if (skipReason !== undefined) return ctx.skip(skipReason)
      const { code, stdout, stderr } = await node([join("build", `${example.name}.js`)], project)
      expect(stderr).toBe("")
      expect(code).toBe(0)
      expect(stdout).toBe(`${example.output}\n`)
    })
  }

  it("serves the dashboard from the packed CLI, built ahead (no sources to bundle)", async (ctx) => {
    if (skipReason !== undefined || server === undefined) return ctx.skip(skipReason ?? "no server")
    const page = await fetch(`${server.url}/`)
    expect(page.status).toBe(200)
    const version = /app\.js\?v=([0-9a-f]{12})/.exec(await page.text())?.[1]
    expect(version).toBeDefined()
    const js = await fetch(`${server.url}/assets/app.js`)
    expect(js.status).toBe(200)
    expect(await js.text()).toBe(readFileSync(join(project, "node_modules", "constellation", "dist", "web", "assets", "app.js"), "utf8"))
  })

  for (const example of clientExamples) {
    it.concurrent(`runs the ${example.name} client example of docs/clients.md against it`, async (ctx) => {
      const { expect } = ctx
      if (skipReason !== undefined) return ctx.skip(skipReason)
      const { code, stdout, stderr } = await node([join("build", `${example.name}.js`)], project)
      expect(stderr).toBe("")
      expect(code).toBe(0)
      // The Promise client's example prints the milliseconds since it started.
      const untimed = (text: string) => text.split("\n").map((l) => l.replace(/^\d+ ms {2}/, ""))
      expect(untimed(stdout.trimEnd())).toEqual(untimed(example.output ?? ""))
    })
  }

  it("passes the test file of docs/library.md under vitest and TestClock", async (ctx) => {
    if (skipReason !== undefined || vitestRun === undefined) return ctx.skip(skipReason ?? "vitest did not run")
    const { code, stdout, stderr } = await vitestRun
    expect(code, `${stdout}\n${stderr}`).toBe(0)
    expect(stdout).toMatch(/Tests\s+1 passed \(1\)/)
  })

  it("stops the packed CLI's server on SIGTERM, exit code 0", async (ctx) => {
    if (skipReason !== undefined || server === undefined) return ctx.skip(skipReason ?? "no server")
    server.child.kill("SIGTERM")
    expect(await exited(server.child)).toBe(0)
  })
})
