/**
 * An execution's objects die in V8's young generation: once it has ended
 * and nothing of the caller's holds it, a minor collection frees it. V8
 * allocates a function literal assigned straight to a property in the old
 * generation; when such a function's scope reached an execution (the
 * driver's `log.onCaughtUp = () => ...`, Effect's `async` around an
 * execution that never suspended), every execution was copied and promoted
 * by every minor collection until a major one, which then took more time
 * than the executions themselves (docs/benchmarks.md, "Minor collections").
 *
 * In a child process, from a bundle (no `keepNames` wrapper, which hides
 * the assignment from V8), with `--expose-gc`: the child runs a 1,000-module
 * pipeline 100 times, watches one event of each with a
 * `FinalizationRegistry`, then asks for minor collections only.
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

const collected = (bundle: string, mode: string): Promise<{ readonly collected: number; readonly of: number }> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", bundle], { env: { ...process.env, MODE: mode }, timeout: 60_000 }, (error, stdout) => {
      if (error !== null) return reject(error)
      const m = /^COLLECTED (\d+) OF (\d+)$/m.exec(stdout)
      if (m === null) return reject(new Error(`unexpected output: ${stdout}`))
      resolve({ collected: Number(m[1]), of: Number(m[2]) })
    })
  })

describe("an execution's objects", () => {
  it("are freed by a minor collection once a batch run has ended", { timeout: 200_000 }, async (ctx) => {
    const bundle = childBundle()
    if (bundle === "") {
      console.log("skipped: esbuild is not installed, and the child must run from a bundle")
      return ctx.skip()
    }
    const { collected: freed, of } = await collected(bundle, "batch")
    expect(of).toBe(100)
    // Before the fix: 0-45 of 100 (those run between two collections of their own); after: all of them.
    expect(freed).toBeGreaterThanOrEqual(95)
  })
})
