/**
 * The boundaries between the folders of src/, checked on every import so
 * they stay: the clients, the dashboard and the CLI's remote path speak
 * the wire contract (src/protocol) and plain value types only, never the
 * server or the runtime; the protocol rests on the runtime's event Schemas
 * alone; the runtime and the language know nothing of transports.
 * `import type` lines count too, except where a rule says otherwise.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const SRC = join(ROOT, "src")

interface Import {
  readonly from: string
  /** A file of ours, not a package. */
  readonly relative: boolean
  /** The imported file, relative to src/ (`protocol/events.ts`), or the package name. */
  readonly to: string
  readonly typeOnly: boolean
}

const walk = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : []
  })

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm

const importsOf = (file: string): Array<Import> => {
  const text = readFileSync(file, "utf8")
  const from = relative(SRC, file)
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = m[2]!
    const to = spec.startsWith(".") ? relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, ".ts") : spec
    return { from, to, relative: spec.startsWith("."), typeOnly: m[1] !== undefined }
  })
}

const all = walk(SRC).flatMap(importsOf)
const local = all.filter((i) => i.relative)

/** The imports from files under `from` (a folder or a list of files) to anything `allowed` does not accept. */
const offending = (from: (file: string) => boolean, allowed: (i: Import) => boolean): Array<string> =>
  local.filter((i) => from(i.from) && !allowed(i)).map((i) => `${i.from} -> ${i.to}`)

const under = (...folders: ReadonlyArray<string>) => (path: string) => folders.some((f) => path.startsWith(`${f}/`))
const oneOf = (...files: ReadonlyArray<string>) => (path: string) => files.includes(path)

/** Plain value types a client may share with the language: values, types, the DAG as data. */
const plainValues = oneOf("lang/value.ts", "lang/types.ts", "lang/dag.ts", "lang/safeRecord.ts")

describe("folder boundaries", () => {
  it("reads the imports of every source file", () => {
    expect(local.length).toBeGreaterThan(300)
    expect(local.some((i) => i.from === "client/ResultCollector.ts" && i.to === "protocol/resultFold.ts")).toBe(true)
  })

  it("the clients import the protocol and plain value types only", () => {
    expect(offending(under("client"), (i) => under("client", "protocol")(i.to) || plainValues(i.to))).toEqual([])
  })

  it("the dashboard imports the clients, the protocol and plain value types only", () => {
    expect(offending(under("web/app"), (i) => under("web/app", "client", "protocol")(i.to) || plainValues(i.to))).toEqual([])
  })

  it("the CLI's remote path never imports the server or the runtime", () => {
    const remote = oneOf("cli/runRemote.ts", "cli/render.ts", "cli/report.ts", "cli/RunSpec.ts", "cli/ProgressTracker.ts")
    expect(offending(remote, (i) => !under("http", "runtime")(i.to))).toEqual([])
  })

  it("the protocol rests on the runtime's event and result Schemas, its fold and the language's values alone", () => {
    const base = oneOf("runtime/ExecutionEvent.ts", "runtime/BatchResult.ts", "runtime/foldResult.ts", "lang/diagnostic.ts")
    expect(offending(under("protocol"), (i) => under("protocol")(i.to) || plainValues(i.to) || base(i.to))).toEqual([])
  })

  it("the Promise client takes from the protocol only its Schema-free modules, which import no Schema (the browser bundle)", () => {
    // What the client needs of an event or a result without decoding it; index.ts may re-export the Schemas for code that wants them.
    const schemaFree = oneOf("protocol/eventKinds.ts", "protocol/resultFold.ts", "runtime/foldResult.ts", "lang/ownRecord.ts")
    const clientValues = all.filter((i) => under("client")(i.from) && i.from !== "client/index.ts" && !i.typeOnly && under("protocol")(i.to))
    expect(clientValues.length).toBeGreaterThan(2)
    expect(clientValues.filter((i) => !schemaFree(i.to)).map((i) => `${i.from} -> ${i.to}`)).toEqual([])
    const imported = all.filter((i) => schemaFree(i.from) && !i.typeOnly)
    expect(imported.filter((i) => !schemaFree(i.to)).map((i) => `${i.from} -> ${i.to}`)).toEqual([])
  })

  it("the runtime and the language know nothing of transports, clients or the protocol", () => {
    const transports = under("http", "client", "protocol", "cli", "web")
    expect(offending(under("runtime", "lang", "modules"), (i) => !transports(i.to))).toEqual([])
  })

  it("nothing outside the runtime reaches into its machinery but the HTTP service's executions", () => {
    expect(offending((f) => !under("runtime")(f), (i) => !under("runtime/internal")(i.to) || under("http/executions")(i.from)))
      .toEqual([])
  })

  it("what the runtime's public files need of the machinery stays behind them (the protocol sees no internal file)", () => {
    // BatchResult.ts names ExecutionLog as a type only: nothing of the log's code reaches a client bundle.
    const machinery = (to: string) => to === "runtime/ExecutionLog.ts" || under("runtime/internal")(to)
    const batchResult = all.filter((i) => i.from === "runtime/BatchResult.ts" && machinery(i.to) && !i.typeOnly)
    expect(all.some((i) => i.from === "runtime/BatchResult.ts" && i.to === "runtime/ExecutionLog.ts")).toBe(true)
    expect(batchResult.map((i) => i.to)).toEqual([])
  })
})
