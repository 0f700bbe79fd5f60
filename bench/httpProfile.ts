/**
 * Where the engine's HTTP time goes: starts the service of bench/http,
 * warms it up, profiles its process (V8's sampling profiler) during one
 * workload, and prints the hottest functions by self time, the self time
 * by file, and the project's and `@effect/platform`'s functions by
 * inclusive time (each sample counted once per function on its stack).
 *
 * Run: npx tsx bench/httpProfile.ts [batch|stream] [count] [file]
 *   file: where to keep the `.cpuprofile` (for Chrome DevTools); by default it is deleted.
 *   A file ending in `.heapprofile` takes V8's sampling heap profile instead
 *   (every allocation, collected or not) and prints the biggest allocators.
 *   batch:  `count` one-module `POST /execute`, 32 at a time (default 2,000)
 *   stream: `count` fan-out streams started together (default 300)
 * The service runs from a minified bundle, as `npm start` runs it; with
 * `CONSTELLATION_MINIFY=false` the bundle keeps a line per source line, so
 * the functions without a name can be told apart by their line.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { json, makeAgent, stream, together } from "./httpClient.js"
import { startServer } from "./httpProcess.js"
import { isMain, table } from "./support.js"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: ReadonlyArray<number>
}
interface Profile { readonly nodes: ReadonlyArray<ProfileNode>; readonly samples: ReadonlyArray<number>; readonly timeDeltas: ReadonlyArray<number> }

const fileOf = (url: string): string => url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench)\//, "$1/")

const frameName = ({ functionName, url, lineNumber }: ProfileNode["callFrame"]): string => {
  const file = fileOf(url)
  return `${functionName || "(anonymous)"} ${file === "" ? "" : `${file}:${lineNumber + 1}`}`.trim()
}

const isOurs = (name: string): boolean => / (src\/|@effect\/platform|\.cache\/constellation\/)/.test(name)

/** The `top` functions by self and by inclusive time, in ms and % of the profile's samples. */
export const summarize = (profile: Profile, top = 25): string => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>(), selfByFile = new Map<string, number>(), inclusive = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    total += dt
    const frame = byId.get(id)!.callFrame
    const leaf = frameName(frame)
    const file = fileOf(frame.url) || leaf
    self.set(leaf, (self.get(leaf) ?? 0) + dt)
    selfByFile.set(file, (selfByFile.get(file) ?? 0) + dt)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(frameName(byId.get(at)!.callFrame))
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + dt)
  })
  const rank = (m: Map<string, number>, keep: (name: string) => boolean = () => true) =>
    [...m.entries()].filter(([name]) => keep(name)).sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([name, ms]) => [`\`${name}\``, ms, `${((100 * ms) / total).toFixed(1)}%`])
  return [
    `Profile: ${total.toFixed(0)} ms sampled.`,
    "",
    table(["self time, by function", "ms", "%"], rank(self)),
    "",
    table(["self time, by file", "ms", "%"], rank(selfByFile)),
    "",
    table(["inclusive time, project and @effect/platform functions", "ms", "%"], rank(inclusive, isOurs))
  ].join("\n")
}

const workload = async (url: string, kind: string, count: number, onWarm: () => void) => {
  const setup = makeAgent(1)
  const source = kind === "batch" ? "in text: String\nupper = Uppercase(text)\nout upper" : readFileSync(new URL("../examples/fan-out.cst", import.meta.url), "utf8")
  const compiled = await json(setup, `${url}/compile`, Buffer.from(JSON.stringify({ source })))
  setup.destroy()
  const ref = (JSON.parse(compiled.body) as { ref: string }).ref
  if (kind === "batch") {
    const agent = makeAgent(32)
    const body = Buffer.from(JSON.stringify({ ref, inputs: { text: "hello benchmark world" } }))
    const run = async (requests: number) => {
      let left = requests
      await Promise.all(Array.from({ length: 32 }, async () => {
        while (left-- > 0) await json(agent, `${url}/execute`, body)
      }))
    }
    await run(200)
    onWarm()
    await run(count)
    agent.destroy()
  } else {
    const agent = makeAgent(count)
    const body = Buffer.from(JSON.stringify({ ref, inputs: { query: "hello benchmark world" } }))
    await together(Math.min(count, 50), 60_000, (signal) => stream(agent, `${url}/execute/stream`, body, 2, signal))
    onWarm()
    const runs = await together(count, 60_000, (signal) => stream(agent, `${url}/execute/stream`, body, 2, signal))
    agent.destroy()
    return `${runs.filter((r) => r.ok).length}/${count} streams completed`
  }
  return `${count} batch executions`
}

interface HeapNode {
  readonly callFrame: ProfileNode["callFrame"]
  readonly selfSize: number
  readonly children: ReadonlyArray<HeapNode>
}

/** The `top` functions by bytes allocated (sampled), with the share of the total. */
export const summarizeHeap = (profile: { readonly head: HeapNode }, top = 25): string => {
  const self = new Map<string, number>()
  let total = 0
  const walk = (n: HeapNode) => {
    const name = frameName(n.callFrame)
    self.set(name, (self.get(name) ?? 0) + n.selfSize)
    total += n.selfSize
    for (const c of n.children) walk(c)
  }
  walk(profile.head)
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, bytes]) => [`\`${name}\``, bytes / 1e6, `${((100 * bytes) / total).toFixed(1)}%`])
  return [`Allocations sampled: ${(total / 1e6).toFixed(1)} MB.`, "", table(["allocated by (self)", "MB", "%"], rows)].join("\n")
}

export const main = async (
  kind = process.argv[2] ?? "batch",
  count = Number(process.argv[3] ?? (kind === "batch" ? 2_000 : 300)),
  keep = process.argv[4]
): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), "constellation-prof-"))
  const file = keep ?? join(dir, "engine.cpuprofile")
  const heap = file.endsWith(".heapprofile")
  try {
    const engine = await startServer("./httpEngine.ts", { MAX_CONCURRENT_EXECUTIONS: "5000" }, { bundle: true })
    let done: string
    try {
      done = await workload(engine.url, kind, count, () => engine.startProfile(heap))
      await engine.stopProfile(file, heap)
    } finally {
      await engine.stop()
    }
    const profile: unknown = JSON.parse(readFileSync(file, "utf8"))
    const summary = heap ? summarizeHeap(profile as { head: HeapNode }) : summarize(profile as Profile)
    return `### Engine ${heap ? "heap " : ""}profile: ${kind}, ${done}\n\n${summary}\n`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) main().then((s) => console.log(s))
