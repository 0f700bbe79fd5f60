/**
 * `npm run bench`: the compiler, runtime and HTTP benchmarks, then the
 * client's bundle size, in sequence, each section's markdown printed as soon
 * as it is ready. Each section runs in a process of its own (through
 * scripts/bench.mjs, compiled, as users run the engine), so none inherits
 * the heap, the JIT state or the timers of the sections before it. A
 * section that fails is reported and the others still run; the exit code
 * is then 1.
 *
 * Run: node --expose-gc scripts/bench.mjs bench/run.ts (or npx tsx bench/run.ts, slower: see scripts/bench.mjs)
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))

const sections: ReadonlyArray<string> = [
  "bench/compile.ts",
  "bench/runtime.ts",
  "bench/peers.ts",
  "bench/backToBack.ts",
  "bench/batchAllocs.ts",
  "bench/lambdas.ts",
  "bench/http.ts",
  "bench/idleMemory.ts",
  "bench/resume.ts",
  "bench/lsp.ts",
  "bench/redis.ts",
  "bench/clientSize.ts"
]

console.log("## Benchmarks\n")
for (const section of sections) {
  // The section prints its own markdown (each runs itself when it is the main module).
  const r = spawnSync(process.execPath, ["--expose-gc", "scripts/bench.mjs", section], { cwd: root, stdio: "inherit" })
  if (r.status !== 0) {
    process.exitCode = 1
    console.log(`### ${section} failed\n\nexit ${r.status ?? r.signal ?? r.error?.message}; its output is above.\n`)
  }
}
