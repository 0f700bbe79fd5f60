/**
 * bench/compile: compile time of a generated pipeline, cold (the pure
 * `compile` function, and the service with an empty cache) and cached
 * (the `Compiler` service answering from its cache), with the cold time
 * split into parse, check and DAG building (hash included).
 *
 * Run: node --expose-gc scripts/bench.mjs bench/compile.ts (or npx tsx bench/compile.ts, slower: see scripts/bench.mjs)
 */
import { performance } from "node:perf_hooks"
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { check } from "../src/lang/checker/check.js"
import { compileProgram } from "../src/lang/buildDag.js"
import { compile } from "../src/lang/compileSource.js"
import { Compiler, makeCompiler } from "../src/lang/Compiler.js"
import { parse } from "../src/lang/parser.js"
import { ModuleRegistry } from "../src/modules/ModuleRegistry.js"
import { testRegistry } from "../test/lang/fixtures.js"
import { isMain, median, percentile, table } from "./support.js"

/**
 * A pipeline of `declarations` declarations: 20 inputs, 50 outputs, and
 * assignments cycling through module calls (some with options, some nested
 * in arithmetic), inline arithmetic and string interpolation, each reading
 * the one before it and one six back.
 */
export const generatePipeline = (declarations: number): string => {
  const inputs = Math.min(20, Math.floor(declarations / 5))
  const outputs = Math.min(50, Math.floor(declarations / 5))
  const lines: Array<string> = []
  for (let i = 0; i < inputs; i++) lines.push(i % 2 === 0 ? `in s${i}: String` : `in n${i}: Int`)
  const text = (k: number) => (k === 0 ? "s0" : `v${k - 1}`)
  const int = (k: number) => `n${(2 * k + 1) % inputs}`
  const count = declarations - inputs - outputs
  for (let k = 0; k < count; k++) {
    switch (k % 6) {
      case 0:
        lines.push(`v${k} = Uppercase(${text(k)})`)
        break
      case 1:
        lines.push(`v${k} = Trim(v${k - 1}) with timeout: 2s, retry: 2, backoff: exponential, fallback: "none"`)
        break
      case 2:
        lines.push(`v${k} = WordCount(v${k - 1}) * 2 + ${int(k)}`)
        break
      case 3:
        lines.push(`v${k} = Add(v${k - 1}, ${int(k)})`)
        break
      case 4:
        lines.push(`v${k} = Scale(v${k - 1}, 1.5) / 2.0`)
        break
      default:
        lines.push(`v${k} = "\${v${k - 4}}: \${v${k - 1}} (\${v${k - 2}})"`)
    }
  }
  for (let o = 0; o < outputs; o++) lines.push(`out v${count - 1 - o * Math.max(1, Math.floor(count / outputs))}`)
  return lines.join("\n")
}

/** Times `f` until `budgetMs` is spent or `maxRuns` are done (at least `minRuns`), after a warm-up; durations in ms. */
const measure = (f: () => unknown, options: { readonly budgetMs: number; readonly maxRuns: number; readonly minRuns: number }): Array<number> => {
  const warmUntil = performance.now() + options.budgetMs / 5
  for (let i = 0; i < 5 || (performance.now() < warmUntil && i < options.maxRuns); i++) f()
  const out: Array<number> = []
  const end = performance.now() + options.budgetMs
  while (out.length < options.minRuns || (out.length < options.maxRuns && performance.now() < end)) {
    const t0 = performance.now()
    f()
    out.push(performance.now() - t0)
  }
  return out
}

const row = (label: string, times: ReadonlyArray<number>): Array<string | number> =>
  [label, String(times.length), Math.min(...times), median(times), percentile(times, 95)]

export const main = async (): Promise<string> => {
  const registry = testRegistry
  const runtime = ManagedRuntime.make(Compiler.layer.pipe(Layer.provide(Layer.succeed(ModuleRegistry, registry))))
  const serviceCompile = (source: string) => runtime.runSync(Effect.flatMap(Compiler, (c) => c.compile(source)))
  const sections: Array<string> = []
  for (const declarations of [30, 1000]) {
    const source = generatePipeline(declarations)
    const first = compile(source, registry)
    if (Either.isLeft(first)) throw new Error(`generated pipeline does not compile: ${first.left.message}`)
    const dag = first.right.dag
    const cold = { budgetMs: 1000, maxRuns: 1000, minRuns: 20 }
    const parsed = parse(source)
    const checked = check(parsed.program, registry)
    const rows = [
      row("cold: compile(source, registry)", measure(() => compile(source, registry), cold)),
      row("cold: Compiler service, empty cache", measure(() => Effect.runSync(makeCompiler(registry, { capacity: 1000 }).compile(source)), cold)),
      row("  of which parse", measure(() => parse(source), cold)),
      row("  of which check", measure(() => check(parsed.program, registry), cold)),
      row("  of which DAG + hash", measure(() => compileProgram(checked.checked), cold)),
      row("cached: Compiler service (layer, runSync)", (serviceCompile(source), measure(() => serviceCompile(source), { budgetMs: 500, maxRuns: 20000, minRuns: 100 })))
    ]
    sections.push(
      `${declarations} declarations (${source.length.toLocaleString("en")} characters; DAG: ${dag.data.length} data nodes, ${dag.modules.length} module nodes, ${dag.edges.length} edges)\n\n` +
        table(["measure", "runs", "min ms", "median ms", "p95 ms"], rows)
    )
  }
  await runtime.dispose()
  return `### Compile\n\nNode ${process.version}; test registry of ${registry.list().length} modules.\n\n${sections.join("\n\n")}\n`
}

if (isMain(import.meta.url)) main().then((s) => console.log(s))
