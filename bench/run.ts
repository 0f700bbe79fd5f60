/**
 * `npm run bench`: the compiler, runtime and HTTP benchmarks, then the
 * client's bundle size, in sequence, each section's markdown printed as soon
 * as it is ready. A section that fails is reported and the others still
 * run; the exit code is then 1.
 *
 * Run: node --expose-gc scripts/bench.mjs bench/run.ts (or npx tsx bench/run.ts, slower: see scripts/bench.mjs)
 */
import { main as batchAllocs } from "./batchAllocs.js"
import { main as clientSize } from "./clientSize.js"
import { main as compile } from "./compile.js"
import { main as http } from "./http.js"
import { main as idleMemory } from "./idleMemory.js"
import { main as lambdas } from "./lambdas.js"
import { main as lsp } from "./lsp.js"
import { main as peers } from "./peers.js"
import { main as redis } from "./redis.js"
import { main as resume } from "./resume.js"
import { main as runtime } from "./runtime.js"

const sections: ReadonlyArray<[string, () => Promise<string>]> = [
  ["bench/compile", compile],
  ["bench/runtime", runtime],
  ["bench/peers", peers],
  ["bench/batchAllocs", batchAllocs],
  ["bench/lambdas", lambdas],
  ["bench/http", http],
  ["bench/idleMemory", () => idleMemory()],
  ["bench/resume", resume],
  ["bench/lsp", lsp],
  ["bench/redis", redis],
  ["bench/clientSize", clientSize]
]

const runAll = async (): Promise<void> => {
  console.log("## Benchmarks\n")
  for (const [name, run] of sections) {
    try {
      console.log(await run())
    } catch (e) {
      process.exitCode = 1
      console.log(`### ${name} failed\n\n\`\`\`\n${e instanceof Error ? e.stack ?? e.message : String(e)}\n\`\`\`\n`)
    }
  }
}

runAll().then(() => process.exit())
