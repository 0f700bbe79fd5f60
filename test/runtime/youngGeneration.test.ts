/**
 * An execution's objects die in V8's young generation: once it has ended
 * and nothing of the caller's holds it, a minor collection frees it. V8
 * allocates a function literal assigned straight to a property in the old
 * generation; when such a function's scope reached an execution (the
 * driver's `log.onCaughtUp = () => ...`, Effect's `async` around an
 * execution that never suspended), every execution was copied and promoted
 * by every minor collection until a major one, which then took more time
 * than the executions themselves (docs/benchmarks.md, "What V8's minor
 * collections kept of every execution").
 *
 * In a child process, from a bundle (no `keepNames` wrapper, which hides
 * the assignment from V8), with `--expose-gc`: the child runs a 1,000-module
 * pipeline 40 times, two minor collections after each, and prints how much
 * the heap grew per execution. Measured on the tree before the fix / after:
 * batch 159 / 9.6 KB, read by a log reader 161 / 9.6, runStreaming 180 /
 * 30.5; `start` + `await` 163 / 18 (since the eleventh session: Effect's
 * `onExit` around a forked run held the run's effect, which held the log,
 * until the run's effect dropped what it needs when it starts). (`start` +
 * `events()` keeps about 173 KB: a stream of the handle's events can be
 * run again, so its description must reach the log; docs/benchmarks.md.)
 */
import { execFile, execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))

/** The child's bundle (built by the launcher in plain Node, as startupBundle.test.ts does); empty without esbuild. */
const childBundle = (): string =>
  execFileSync(process.execPath, [
    "--input-type=module",
    "-e",
    `const { bundled } = await import("./scripts/launch.mjs"); process.stdout.write((await bundled("test/runtime/fixtures/youngChild.ts", "young-child")) ?? "")`
  ], { cwd: ROOT, encoding: "utf8", timeout: 170_000 })

/** KB the child's heap grew per execution of `mode`, minor collections only. */
const kept = (bundle: string, mode: string): Promise<number> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", bundle], { env: { ...process.env, MODE: mode }, timeout: 60_000 }, (error, stdout) => {
      if (error !== null) return reject(error)
      const m = /^KEPT ([\d.]+)$/m.exec(stdout)
      if (m === null) return reject(new Error(`unexpected output: ${stdout}`))
      resolve(Number(m[1]))
    })
  })

describe("an execution's objects, once it has ended", () => {
  let bundle = ""
  const cases: ReadonlyArray<readonly [string, string, number]> = [
    ["a batch run (prepare + run)", "batch", 40],
    ["an execution read by a log reader, as a transport reads it", "reader", 40],
    ["a stream from runStreaming, drained", "stream", 80],
    ["an execution started in the background, its result awaited", "started", 60]
  ]
  for (const [name, mode, bound] of cases) {
    it(`are freed by minor collections: ${name}`, { timeout: 200_000 }, async (ctx) => {
      bundle ||= childBundle()
      if (bundle === "") {
        console.log("skipped: esbuild is not installed, and the child must run from a bundle")
        return ctx.skip()
      }
      expect(await kept(bundle, mode)).toBeLessThan(bound)
    })
  }
})
