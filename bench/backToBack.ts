/**
 * bench/backToBack: executions run back to back, every garbage collection
 * included, where the other benchmarks take medians of single runs (which
 * leave out the runs a collection fell in). A 1,000-module batch run, and
 * the same streamed, 1,000 times in a row: wall and CPU time per run, and
 * how much of it V8's minor and major collections took; graphql-js 17's
 * `execute` of the same 1,000 fields beside them, the same way.
 *
 * Each figure comes from a process of its own, running a bundle (esbuild,
 * no `keepNames` wrapper: tsx's wrapper changes where V8 allocates some
 * functions, and so what the collections copy). Given another checkout
 * (`node --expose-gc scripts/bench.mjs bench/backToBack.ts <dir>`, a
 * worktree with a link to node_modules), the same child is bundled against
 * that tree's src/ too, the trees alternate, and the table gives
 * after/before.
 *
 * Run: node --expose-gc scripts/bench.mjs bench/backToBack.ts [<baseline dir>]
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { fmt, isMain, median, table } from "./support.js"

const here = fileURLToPath(new URL(".", import.meta.url))
const ROUNDS = 3

interface Figures { readonly wall: number; readonly cpu: number; readonly minor: number; readonly major: number }

/** The child bundled against `root`'s src/ (its imports of ../src/ resolved there), into `dir`. */
const bundleFor = async (root: string, dir: string): Promise<string> => {
  const esbuild = await import("esbuild")
  const out = join(dir, "child.mjs")
  await esbuild.build({
    entryPoints: [join(here, "backToBackChild.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: out,
    logLevel: "silent",
    plugins: [{
      name: "tree-src",
      setup(build) {
        build.onResolve({ filter: /^\.\.\/src\// }, (args) => ({ path: join(root, args.path.slice(3)).replace(/\.js$/, ".ts") }))
      }
    }]
  })
  return out
}

const run = (bundle: string, mode: string, kind: string): Figures =>
  JSON.parse(execFileSync(process.execPath, [bundle], { env: { ...process.env, MODE: mode, KIND: kind }, encoding: "utf8", timeout: 120_000 }).trim()) as Figures

const WORKLOADS = [["batch", "sync"], ["batch", "make"], ["stream", "sync"], ["stream", "make"]] as const
const label = (mode: string, kind: string) => `${mode}, ${kind === "sync" ? "Module.sync" : "Module.make (Effect.sync)"}`
const PEER = "batch, graphql-js 17 `execute` (the peer)"

export const main = async (): Promise<string> => {
  const baseline = process.argv[2] ?? process.env["BASELINE"]
  const trees = baseline === undefined ? [resolve(here, "..")] : [resolve(baseline), resolve(here, "..")]
  const dirs = trees.map(() => mkdtempSync(join(tmpdir(), "backtoback-")))
  try {
    const bundles = await Promise.all(trees.map((t, i) => bundleFor(t, dirs[i]!)))
    // samples[workload][tree]
    const samples = WORKLOADS.map(() => trees.map(() => [] as Array<Figures>))
    const peer: Array<Figures> = []
    for (let r = 0; r < ROUNDS; r++) {
      peer.push(run(bundles[bundles.length - 1]!, "graphql", "sync"))
      WORKLOADS.forEach(([mode, kind], w) => {
        const order = r % 2 === 0 ? trees.map((_, i) => i) : trees.map((_, i) => trees.length - 1 - i)
        for (const i of order) samples[w]![i]!.push(run(bundles[i]!, mode, kind))
      })
    }
    const med = (xs: ReadonlyArray<Figures>, k: keyof Figures) => median(xs.map((x) => x[k]))
    const rows = WORKLOADS.flatMap(([mode, kind], w) => trees.map((tree, i) => {
      const xs = samples[w]![i]!
      const cells = [fmt(med(xs, "wall")), fmt(med(xs, "cpu")), fmt(med(xs, "minor")), fmt(med(xs, "major"))]
      const ratio = i === 1 ? `${(med(xs, "wall") / med(samples[w]![0]!, "wall")).toFixed(2)}x` : ""
      const peerRow = [PEER, "", fmt(med(peer, "wall")), fmt(med(peer, "cpu")), fmt(med(peer, "minor")), fmt(med(peer, "major")), ...(trees.length === 1 ? [] : [""])]
    return [label(mode, kind), trees.length === 1 ? "this tree" : i === 0 ? "before" : "after", ...cells, ...(trees.length === 1 ? [] : [ratio])]
    }))
    const peerRow = [PEER, "", fmt(med(peer, "wall")), fmt(med(peer, "cpu")), fmt(med(peer, "minor")), fmt(med(peer, "major")), ...(trees.length === 1 ? [] : [""])]
    return [
      `### bench/backToBack: 1,000 runs of 1,000 modules back to back, collections included (medians of ${ROUNDS} processes)\n`,
      table(
        ["workload", "tree", "wall ms/run", "CPU ms/run", "minor GC ms/run", "major GC ms/run", ...(trees.length === 1 ? [] : ["wall after/before"])],
        [peerRow, ...rows]
      )
    ].join("\n")
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) main().then((s) => console.log(s)).then(() => process.exit())
